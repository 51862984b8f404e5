/**
 * The Outbox in the browser: an SMS push job created through the API puts its message in the
 * Outbox (Queued: no outbox worker runs beside the e2e server, so nothing is sent); the message
 * page shows it and Resend replaces it (the old one Cancelled); the state filter; the job page's
 * links and "Send the link again"; a Read-only user sees no Resend; bad addresses and ids.
 */
import { randomInt } from "node:crypto";
import { expect, test, type APIRequest } from "@playwright/test";
import { db } from "@/lib/db/client";
import { createTestBearer, createTestDevice, createTestSoftware } from "@/lib/testing/factories";
import { signInAs } from "./users";

async function smsPushJob(playwright: { request: APIRequest }, baseURL: string) {
  const device = await createTestDevice();
  const phone = `+1555${randomInt(1_000_000, 9_999_999)}`;
  await db().device.update({ where: { id: device.id }, data: { phoneNumber: phone } });
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`outbox e2e ${device.deviceUuid}`));
  const { token } = await createTestBearer("superuser");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const created = await api.post("/api/v1/jobs", { data: { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "SMS_PUSH" } });
  expect(created.status()).toBe(201);
  const jobId = ((await created.json()) as { jobs: { id: number }[] }).jobs[0]!.id;
  await api.dispose();
  const message = await db().outboundMessage.findFirstOrThrow({ where: { jobId }, select: { id: true } });
  return { device, phone, software, jobId, messageId: String(message.id) };
}


test("an SMS push job's message: in the Outbox, opened, resent (the old one Cancelled), filtered by state, and linked from the job page", async ({ page, playwright, baseURL }) => {
  const { device, phone, software, jobId, messageId } = await smsPushJob(playwright, baseURL!);

  // The Outbox, found by the phone number typed with spaces, from the main navigation.
  await page.goto("/devices");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Outbox" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Outbox");
  await expect(page.getByTestId("messages")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("searchbox", { name: "Phone number or device UUID" }).fill(`${phone.slice(0, 5)} ${phone.slice(5)}`);
  await page.getByRole("searchbox", { name: "Phone number or device UUID" }).press("Enter");
  await expect(page).toHaveURL(/[?&]q=/);
  const rows = page.getByTestId("messages").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  const row = page.locator(`[data-message-id="${messageId}"]`);
  await expect(row).toContainText("SMS push");
  await expect(row).toContainText(device.name);
  await expect(row).toContainText(phone);
  await expect(row).toContainText(`Install ${software.name} 1.0: http`);
  await expect(row.locator("[data-state]")).toHaveText("Queued");
  await expect(row.getByRole("link", { name: `Job ${jobId}` })).toHaveAttribute("href", `/jobs/${jobId}`);

  // The message page.
  await row.getByTestId("message-link").click();
  await expect(page).toHaveURL(new RegExp(`/outbox/${messageId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`SMS push message ${messageId}`);
  await expect(page.getByTestId("message-state")).toContainText("Queued");
  await expect(page.getByTestId("message-state")).toContainText("Waiting for its first attempt.");
  await expect(page.getByTestId("message-attempts")).toHaveText("0");
  const content = page.getByTestId("message-content");
  await expect(content).toContainText("expiresAt");
  await expect(content.getByRole("link", { name: /\/packages\// })).toHaveAttribute("href", /^http:\/\/[^/]+\/packages\/[^/]+\/setup\.cab$/);
  await expect(page.getByTestId("message-events")).toContainText("Nothing has happened to it yet");
  await page.screenshot({ path: "test-results/screens/outbox-message.png", fullPage: true });

  // Resend: the new message's page says what became of this one.
  await page.getByRole("button", { name: "Resend" }).click();
  await expect(page).toHaveURL(new RegExp(`/outbox/\\d+\\?resent=${messageId}$`));
  const resentId = new URL(page.url()).pathname.split("/").at(-1)!;
  expect(resentId).not.toBe(messageId);
  await expect(page.getByTestId("resent-status")).toHaveText(`Sent again: this message replaces message ${messageId}, which is now Cancelled.`);
  await expect(page.getByTestId("message-state")).toContainText("Queued");
  await page.getByTestId("resent-status").getByRole("link", { name: `message ${messageId}` }).click();
  await expect(page.getByTestId("message-state")).toContainText("Cancelled");
  await expect(page.getByTestId("message-events")).toContainText("Not sent: a newer message replaces it.");
  await expect(page.getByTestId("resend-unavailable")).toHaveCount(0); // the job still waits: it can be resent again

  // The job's messages, then by state.
  await page.goto(`/outbox?job=${jobId}`);
  await expect(page.getByTestId("outbox-scope")).toContainText(`Messages of job ${jobId}`);
  await expect(page.getByTestId("messages")).toHaveAttribute("data-hydrated", "true");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute("data-message-id", resentId);
  const state = page.locator("details.facet", { has: page.locator("summary", { hasText: "State" }) });
  await state.locator("summary").click();
  await state.getByRole("checkbox", { name: "Cancelled" }).check();
  await expect(page).toHaveURL(/state=cancelled/);
  await expect(page).toHaveURL(new RegExp(`job=${jobId}`));
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-message-id", messageId);
  await expect(rows.first().locator("[data-state]")).toHaveText("Cancelled");
  await page.screenshot({ path: "test-results/screens/outbox.png", fullPage: true });

  // The job page links each message and the Outbox, and sends the link again.
  await page.goto(`/jobs/${jobId}`);
  const jobMessages = page.getByTestId("job-messages");
  await expect(jobMessages.locator("tbody tr")).toHaveCount(2);
  await expect(jobMessages.locator(`[data-message-id="${resentId}"]`).getByTestId("message-link")).toHaveAttribute("href", `/outbox/${resentId}`);
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByTestId("form-status")).toHaveText(/^The link was sent again: message \d+ replaces the messages still waiting to go out\.$/);
  await expect(jobMessages.locator("tbody tr")).toHaveCount(3);
  await expect(jobMessages.locator(`[data-message-id="${resentId}"] [data-state]`)).toHaveText("Cancelled");
  await page.getByTestId("job-outbox-link").click();
  await expect(page).toHaveURL(new RegExp(`/outbox\\?job=${jobId}$`));
  await expect(rows).toHaveCount(3);

  // The device page links to its messages.
  await page.goto(`/devices/${device.deviceUuid}`);
  await page.getByRole("link", { name: "Messages sent to this device" }).click();
  await expect(page.getByTestId("outbox-scope")).toContainText(`Messages to ${device.name}`);
  await expect(rows).toHaveCount(3);
});

test("a failed job's message says why it cannot be resent; Read-only users see no Resend", async ({ page, browser, playwright, baseURL }) => {
  const { jobId, messageId } = await smsPushJob(playwright, baseURL!);
  // The gateway's final refusal, as the outbox writer records it: the message failed, and its job.
  const { deliverMessage } = await import("@/lib/delivery/outbox-worker");
  await deliverMessage(messageId, { transports: () => ({ name: "scripted", send: async () => ({ outcome: "rejected" as const, answer: "unknown subscriber" }) }) });

  await page.goto(`/outbox/${messageId}`);
  await expect(page.getByTestId("message-state")).toContainText("Failed");
  await expect(page.getByTestId("message-last-error")).toHaveText("the gateway refused it: unknown subscriber");
  await expect(page.getByTestId("resend-unavailable")).toContainText("The job is Installation failed: retry the job.");
  await page.getByTestId("resend-unavailable").getByRole("link", { name: `Go to job ${jobId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${jobId}$`));
  await expect(page.getByRole("button", { name: "Send the link again" })).toHaveCount(0);

  await page.goto(`/outbox?job=${jobId}&state=failed`);
  await expect(page.locator(`[data-message-id="${messageId}"]`)).toContainText("the gateway refused it: unknown subscriber");

  const other = await smsPushJob(playwright, baseURL!);
  const { page: readonly, context } = await signInAs(browser, "readonly");
  await readonly.goto(`/outbox/${other.messageId}`);
  await expect(readonly.getByRole("heading", { level: 1 })).toHaveText(`SMS push message ${other.messageId}`);
  await expect(readonly.getByRole("button", { name: "Resend" })).toHaveCount(0);
  await expect(readonly.getByTestId("resend-unavailable")).toHaveCount(0);
  await readonly.goto(`/jobs/${other.jobId}`);
  await expect(readonly.getByRole("button", { name: "Send the link again" })).toHaveCount(0);
  await context.close();
});

test("a bad Outbox address shows its issues; an unknown or malformed message id is a 404", async ({ page }) => {
  await page.goto("/outbox?state=done&q=ab");
  const issues = page.getByTestId("issues");
  await expect(issues).toContainText('"done" is not a state filter');
  await expect(issues).toContainText("Search with at least 3 characters");
  await issues.getByRole("link", { name: "Show all messages" }).click();
  await expect(page).toHaveURL(/\/outbox$/);

  for (const id of ["999999999999", "abc", "1.5"]) {
    const response = await page.goto(`/outbox/${id}`);
    expect(response?.status(), id).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Message not found");
  }
});

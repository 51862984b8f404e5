/** Registering, editing and removing a device, and its own poll settings reaching its poll. */
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { statusXml } from "@/lib/testing/factories";
import { loadSampleBody } from "@/lib/device-protocol/fixtures";

test("register a device, use its token, edit it, reset its token and remove it", async ({ page, request }) => {
  const uuid = randomUUID().replaceAll("-", "").toUpperCase();
  await page.goto("/devices/new");
  const form = page.getByRole("form", { name: "Register a device" });
  await form.getByLabel("X-Device-UUID").fill(uuid);
  await form.getByLabel("Name").fill("Forklift 7");
  await form.getByLabel("Phone number").fill("not a number");
  await form.getByRole("button", { name: "Register device" }).click();
  await expect(form.locator(".field-error")).toHaveText("A phone number such as +44 20 7946 0958.");
  await expect(form.getByLabel("Name")).toHaveValue("Forklift 7");
  await form.getByLabel("Phone number").fill("+1 555 0100");
  await form.getByRole("button", { name: "Register device" }).click();
  const token = await page.getByTestId("new-device-token").inputValue();
  expect(token.length).toBeGreaterThan(20);

  const poll = (auth: string) =>
    request.post("/api/dm", { headers: { "X-Device-UUID": uuid, "X-Device-Auth": auth, "X-Device-Action": "Status" }, data: statusXml([]) });
  expect((await poll(token)).status()).toBe(200);

  await page.getByRole("link", { name: "Open the device" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forklift 7");
  await page.getByText("Edit, reset token or remove this device").click();
  const edit = page.getByRole("form", { name: "Edit device" });
  await edit.getByLabel("Name").fill("Forklift 7 (yard)");
  await edit.getByRole("button", { name: "Save device" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forklift 7 (yard)");

  // The device's own poll settings: a bad value is caught in the browser by the service's schema
  // (its message, and "Check the fields marked." which only the browser check says); a good one
  // reaches the device's next poll; going back to the server's is never blocked by a bad field.
  await page.getByText(/^Poll settings:/).click();
  const settings = page.getByRole("form", { name: "Device settings" });
  await settings.getByLabel("Poll every").fill("0");
  await settings.getByRole("button", { name: "Save for this device" }).click();
  await expect(settings.getByTestId("form-status")).toHaveText("Check the fields marked.");
  await expect(settings.getByLabel("Poll every")).toHaveAccessibleDescription("Poll interval: at least 1 minute.");
  await settings.getByLabel("Poll every").fill("90");
  await settings.getByRole("button", { name: "Save for this device" }).click();
  await expect(settings.getByTestId("form-status")).toHaveText("Saved. The device gets these at its next poll.");
  const pollBody = loadSampleBody("poll-request").replace("43004500500043000000434550434B5335343934350000000000", uuid);
  const polled = await request.post("/api/dm", { headers: { "X-Device-UUID": uuid, "X-Device-Auth": token, "X-Device-Action": "Poll" }, data: pollBody });
  expect(await polled.text()).toContain("<PollInterval>0000-00-00 01:30:00</PollInterval>");
  await settings.getByLabel("Poll every").fill("0");
  await settings.getByRole("button", { name: "Use the server settings" }).click();
  await expect(settings.getByTestId("form-status")).toHaveText("The device follows the server settings again from its next poll.");

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("form", { name: "Reset device token" }).getByRole("button", { name: "Reset token" }).click();
  const second = await page.getByTestId("new-device-token").inputValue();
  expect((await poll(token)).status()).toBe(401);
  expect((await poll(second)).status()).toBe(200);

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("form", { name: "Remove device" }).getByRole("button", { name: "Remove device" }).click();
  await expect(page).toHaveURL(/\/devices$/);
  expect((await page.goto(`/devices/${uuid}`))?.status()).toBe(404);
});

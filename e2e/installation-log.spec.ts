/**
 * The Installation log page driven through its toolbar: a device name part and a status
 * filter land in the address and narrow the rows; the CSV download holds exactly those rows;
 * a bad time range is answered with its reason. The devices carry a unique word in their
 * names, so the shared database does not matter.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { db } from "@/lib/db/client";
import { createTestDevice, createTestJob, createTestSoftware, statusXml, type TestDevice } from "@/lib/testing/factories";

async function report(request: APIRequestContext, device: TestDevice, packageId: string, messageId: string) {
  const res = await request.post("/api/dm", {
    headers: { "X-Device-Action": "Status", "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token, "content-type": "text/xml" },
    data: statusXml([{ packageId, messageId, returnCode: messageId === "11032" ? "0x80072EE7" : "0" }]),
  });
  expect(res.status()).toBe(200);
}

test("filter the log by device and status, then download exactly those rows as CSV", async ({ page, request }) => {
  const w = `E2E${randomUUID().replaceAll("-", "").slice(0, 8)}`;
  const software = await createTestSoftware();
  const fleet: TestDevice[] = [];
  for (const suffix of ["alpha", "bravo"]) {
    const d = await createTestDevice();
    d.name = `${w} ${suffix}`;
    await db().device.update({ where: { id: d.id }, data: { name: d.name } });
    await createTestJob(d.id, software.id);
    await report(request, d, software.packageId, "11030");
    fleet.push(d);
  }
  await report(request, fleet[1]!, software.packageId, "11032");

  await page.goto("/log");
  await expect(page.getByRole("heading", { name: "Installation log" })).toBeVisible();
  await expect(page.getByTestId("log")).toHaveAttribute("data-hydrated", "true");
  const table = page.getByRole("table", { name: /Installation log events matching the filters/ });

  await page.getByLabel("Device", { exact: true }).fill(w);
  await page.getByLabel("Device", { exact: true }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]device=${w}(&|$)`));
  // Two job creations, two 11030s and one 11032, newest first.
  await expect(table.locator("tbody tr")).toHaveCount(5);
  await expect(table.locator("tbody tr").first()).toContainText("11032 Package download unsuccessful");
  await expect(table.locator("tbody tr").first().getByRole("link", { name: `${w} bravo` })).toHaveAttribute("href", `/devices/${fleet[1]!.deviceUuid}`);

  const status = page.locator("details.facet", { has: page.locator("summary", { hasText: "Status" }) });
  await status.locator("summary").click();
  await status.getByRole("checkbox", { name: "Installation failed" }).check();
  await expect(page).toHaveURL(/status=Installation\+failed/);
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.locator("tbody tr").first().getByRole("link", { name: /^Job \d+$/ })).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("log-export").click()]);
  expect(download.suggestedFilename()).toMatch(/^installation-log-\d{8}-\d{6}Z\.csv$/);
  const lines = (await readFile((await download.path())!, "utf8")).split("\r\n").filter((l) => l !== "");
  expect(lines[0]).toMatch(/^received_at,device_uuid,device_name,job_id,software,/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`,${fleet[1]!.deviceUuid},${w} bravo,`);
  expect(lines[1]).toContain(",11032,Package download unsuccessful,Return code=0x80072EE7,Installing software,Installation failed,");

  // Clearing the status keeps the device: the download follows the page.
  await status.locator("summary").click();
  await status.getByRole("checkbox", { name: "Installation failed" }).uncheck();
  await expect(table.locator("tbody tr")).toHaveCount(5);
  const [all] = await Promise.all([page.waitForEvent("download"), page.getByTestId("log-export").click()]);
  expect((await readFile((await all.path())!, "utf8")).split("\r\n").filter((l) => l !== "")).toHaveLength(6);
});

test("a time range that ends before it starts is answered with its reason, not an error page", async ({ page }) => {
  await page.goto("/log?from=2026-12-01T10:00&before=2026-11-01T10:00");
  const issues = page.getByTestId("issues");
  await expect(issues).toContainText('"from" must be earlier than "before"');
  await page.getByRole("link", { name: "Show the whole log" }).click();
  await expect(page).toHaveURL(/\/log$/);
  await expect(page.getByTestId("log")).toBeVisible();
});

/**
 * A device's reports, posted through the real endpoint, change what an administrator sees: the
 * Installing and Installed tables, their priority ordering, and the log.
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createTestDevice, createTestJob, createTestSoftware, statusXml, type TestDevice } from "@/lib/testing/factories";

async function report(request: APIRequestContext, device: TestDevice, packageId: string, messageId: string, timestamp: string) {
  const res = await request.post("/api/dm", {
    headers: { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token, "X-Device-Action": "Status", "X-Device-client-version": "1.0" },
    data: statusXml([{ packageId, messageId, timestamp }]),
  });
  expect(res.status()).toBe(200);
}

async function openDevice(page: Page, device: TestDevice) {
  await page.goto(`/devices/${device.deviceUuid}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(device.name);
  await expect(page.getByTestId("jobs-installing")).toHaveAttribute("data-hydrated", "true");
}

function statusCells(page: Page, table: "Installing" | "Installed") {
  return page.getByRole("table", { name: table, exact: true }).locator("tbody td [data-status]");
}

test("reports move a job from Installing to Installed and fill the log", async ({ page, request }) => {
  const device = await createTestDevice();
  const software = await createTestSoftware();
  await createTestJob(device.id, software.id);

  await openDevice(page, device);
  await expect(statusCells(page, "Installing")).toHaveText(["Waiting for download"]);
  await expect(page.getByRole("table", { name: "Installed", exact: true })).toContainText("Nothing was installed");

  await report(request, device, software.packageId, "11030", "2026-11-20 10:00:00");
  await page.reload();
  await expect(statusCells(page, "Installing")).toHaveText(["Installing software"]);

  await report(request, device, software.packageId, "11031", "2026-11-20 10:01:00");
  await page.reload();
  await expect(statusCells(page, "Installed")).toHaveText(["Downloaded"]);
  await expect(page.getByRole("table", { name: "Installing", exact: true })).toContainText("Nothing is being installed");

  // Newest first: 11031, then 11030, then the job's creation.
  const log = page.getByRole("table", { name: "Installation log" });
  await expect(log.locator("tbody tr")).toHaveCount(3);
  await expect(log.locator("tbody tr").nth(0)).toContainText("11031 Package download successful");
  await expect(log.locator("tbody tr").nth(0)).toContainText("Installing software → Downloaded");
  await expect(log.locator("tbody tr").nth(1)).toContainText("11030 Starting package download");
  await expect(log.locator("tbody tr").nth(0)).toContainText("Return code: 0");
});

test("the Status column is in priority order and sorts by priority both ways", async ({ page, request }) => {
  const device = await createTestDevice();
  const packages = await Promise.all([1, 2, 3, 4, 5].map(() => createTestSoftware()));
  for (const p of packages) await createTestJob(device.id, p.id);
  const [waiting, installing, failed, unknown, done] = packages as [typeof packages[0], typeof packages[0], typeof packages[0], typeof packages[0], typeof packages[0]];
  void waiting;
  await report(request, device, installing.packageId, "11030", "2026-11-20 10:00:00");
  await report(request, device, failed.packageId, "11032", "2026-11-20 10:00:00");
  await report(request, device, unknown.packageId, "99999", "2026-11-20 10:00:00");
  await report(request, device, done.packageId, "11031", "2026-11-20 10:00:00");

  await openDevice(page, device);
  const cells = statusCells(page, "Installing");
  const priorityOrder = ["Unknown status", "Installation failed", "Waiting for download", "Installing software"];
  // Errors first (most recent change first among equals), then rank 1, then rank 2.
  await expect(cells).toHaveText(priorityOrder);
  const header = page.getByRole("table", { name: "Installing", exact: true }).getByRole("columnheader", { name: /Status/ });
  await expect(header).toHaveAttribute("aria-sort", "ascending");

  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect(cells).toHaveText(["Installing software", "Waiting for download", "Unknown status", "Installation failed"]);

  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  await expect(cells).toHaveText(priorityOrder);
  await expect(statusCells(page, "Installed")).toHaveText(["Downloaded"]);
  await page.screenshot({ path: "test-results/device-page.png", fullPage: true });
});

test("the devices list links to each device page", async ({ page }) => {
  const device = await createTestDevice();
  // The list is paged (50 a page, by name): find the device through the search.
  await page.goto(`/devices?q=${encodeURIComponent(device.name)}`);
  await page.getByRole("link", { name: device.name }).click();
  await expect(page).toHaveURL(new RegExp(`/devices/${device.deviceUuid}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(device.name);
});

test("an unknown device page says so", async ({ page }) => {
  const res = await page.goto("/devices/NO-SUCH-DEVICE");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Device not found");
});

test("a large report stays off the device page; its raw document opens from the log", async ({ page, request }) => {
  const device = await createTestDevice();
  const software = await createTestSoftware();
  await createTestJob(device.id, software.id);
  // 200 messages with a long parameter each: about the 107 KB report that once made a 47.6 MB page.
  const messages = Array.from({ length: 200 }, (_, i) => ({
    packageId: software.packageId,
    messageId: "11030",
    timestamp: `2026-11-20 10:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`,
    returnCode: `${i}-${"x".repeat(400)}`,
  }));
  const body = statusXml(messages);
  expect(body.length).toBeGreaterThan(100_000);
  const res = await request.post("/api/dm", {
    headers: { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token, "X-Device-Action": "Status" },
    data: body,
  });
  expect(res.status()).toBe(200);

  const html = await (await request.get(`/devices/${device.deviceUuid}`)).text();
  // The 200 log rows show their parameters (twice: HTML and the React payload), but no row
  // embeds the document: that made 200 × 107 KB × 2 ≈ 47 MB.
  expect(html.length).toBeLessThan(1_000_000);
  expect(html).not.toContain("<?xml");

  await openDevice(page, device);
  await page.getByRole("link", { name: "Raw report" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Status message \d+/);
  await expect(page.getByTestId("raw-message")).toHaveText(body);
});

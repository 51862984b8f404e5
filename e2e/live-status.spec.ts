/**
 * The device page follows its device without a reload: reports posted through the real device
 * endpoint (and a simulated CE client's whole download) change its tables and log on their own,
 * over one EventSource that closes while the tab is hidden. Timeouts are generous: this asks
 * whether the page updates by itself, not how fast (npm run bench:live measures that).
 */
import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createTestDevice, createTestJob, createTestSoftware, statusXml, type TestDevice } from "@/lib/testing/factories";
import { runKnownDevices } from "@/scripts/simulator/fleet";

type Tracked = { url: string; readyState: number };
declare global {
  interface Window {
    __eventSources: EventSource[];
    __sameDocument?: string;
  }
}

test.beforeEach(async ({ page }) => {
  // Every EventSource the page makes, so the test can count the open ones.
  await page.addInitScript(() => {
    const Native = window.EventSource;
    window.__eventSources = [];
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        window.__eventSources.push(this);
      }
    };
  });
});

async function openSources(page: Page): Promise<Tracked[]> {
  return page.evaluate(() => window.__eventSources.filter((s) => s.readyState !== EventSource.CLOSED).map((s) => ({ url: s.url, readyState: s.readyState })));
}

async function report(request: APIRequestContext, device: TestDevice, packageId: string, messageId: string, timestamp: string) {
  const res = await request.post("/api/dm", {
    headers: { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token, "X-Device-Action": "Status", "X-Device-client-version": "1.0" },
    data: statusXml([{ packageId, messageId, timestamp }]),
  });
  expect(res.status()).toBe(200);
}

function statusCells(page: Page, table: "Installing" | "Installed") {
  return page.getByRole("table", { name: table, exact: true }).locator("tbody td [data-status]");
}

function indicator(page: Page) {
  return page.getByRole("status", { name: "Live updates" });
}

/** Opens the page, waits for its stream, and marks the document: a reload would lose the mark. */
async function openLive(page: Page, device: TestDevice) {
  await page.goto(`/devices/${device.deviceUuid}`);
  await expect(page.getByTestId("jobs-installing")).toHaveAttribute("data-hydrated", "true");
  await expect(indicator(page)).toHaveText("Live");
  await page.evaluate(() => (window.__sameDocument = "yes"));
}

async function expectNoReload(page: Page) {
  expect(await page.evaluate(() => window.__sameDocument)).toBe("yes");
}

test("reports change the tables and the log without a reload, over one stream, keeping the table's sort order", async ({ page, request }) => {
  const device = await createTestDevice();
  const [a, b] = await Promise.all([createTestSoftware(), createTestSoftware()]);
  await createTestJob(device.id, a!.id);
  await createTestJob(device.id, b!.id);
  await openLive(page, device);

  const sources = await openSources(page);
  expect(sources).toHaveLength(1);
  expect(new URL(sources[0]!.url).search).toBe(`?device=${device.deviceUuid}`);

  // Sorted by the reader, descending: the refreshes must keep that.
  const header = page.getByRole("table", { name: "Installing", exact: true }).getByRole("columnheader", { name: /Status/ });
  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect(statusCells(page, "Installing")).toHaveText(["Waiting for download", "Waiting for download"]);

  await report(request, device, a!.packageId, "11030", "2026-11-20 10:00:00");
  // Descending puts Installing software (rank 2) above Waiting for download (rank 1); the
  // server's own order (ascending) would not.
  await expect(statusCells(page, "Installing")).toHaveText(["Installing software", "Waiting for download"]);
  await expect(header).toHaveAttribute("aria-sort", "descending");

  await report(request, device, a!.packageId, "11031", "2026-11-20 10:01:00");
  await expect(statusCells(page, "Installed")).toHaveText(["Downloaded"]);
  await expect(statusCells(page, "Installing")).toHaveText(["Waiting for download"]);
  const log = page.getByRole("table", { name: "Installation log" });
  await expect(log.locator("tbody tr").nth(0)).toContainText("11031 Package download successful");
  await expect(log.locator("tbody tr")).toHaveCount(4); // two creations, two reports

  await expectNoReload(page);
  expect(await openSources(page)).toHaveLength(1);
  await expect(indicator(page)).toHaveText("Live");
});

test("the stream closes while the tab is hidden, and what changed meanwhile appears when it is shown", async ({ page, request }) => {
  const device = await createTestDevice();
  const software = await createTestSoftware();
  await createTestJob(device.id, software.id);
  await openLive(page, device);
  expect(await openSources(page)).toHaveLength(1);

  // The browser's own request ends too, not only the object.
  const ended = page.waitForEvent("requestfailed", { predicate: (r) => r.url().includes("/api/live?"), timeout: 10_000 });
  await setVisibility(page, "hidden");
  await ended;
  expect(await openSources(page)).toHaveLength(0);
  await expect(indicator(page)).toHaveText("Paused");

  await report(request, device, software.packageId, "11030", "2026-11-20 10:00:00");
  await setVisibility(page, "visible");
  await expect(statusCells(page, "Installing")).toHaveText(["Installing software"]);
  await expect(indicator(page)).toHaveText("Live");
  expect(await openSources(page)).toHaveLength(1);
  await expectNoReload(page);
});

test("a simulated CE client's whole download shows up on the watched page without a reload", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const packages = await Promise.all([createTestSoftware("OTHER_SOFTWARE", "1.0", randomBytes(20_000)), createTestSoftware("OTHER_SOFTWARE", "1.0", randomBytes(30_000))]);
  const devices = [];
  for (let i = 0; i < 3; i++) {
    const device = await createTestDevice();
    for (const p of packages) await createTestJob(device.id, p.id, "MARK_FOR_INSTALLATION");
    devices.push(device);
  }
  const watched = devices[0]!;
  await openLive(page, watched);
  await expect(statusCells(page, "Installing")).toHaveText(["Waiting for download", "Waiting for download"]);

  const summary = await runKnownDevices(baseURL!, devices, { concurrency: 3, seed: 11 });
  expect(summary.totals).toMatchObject({ errors: 0, installed: 6 });

  await expect(statusCells(page, "Installed")).toHaveText(["Downloaded", "Downloaded"]);
  await expect(page.getByRole("table", { name: "Installing", exact: true })).toContainText("Nothing is being installed");
  await expectNoReload(page);
  expect(await openSources(page)).toHaveLength(1);
});

/** What the browser does when the tab is hidden or shown (a headless page never is by itself). */
async function setVisibility(page: Page, state: "hidden" | "visible") {
  await page.evaluate((s) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => s });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => s === "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  }, state);
}

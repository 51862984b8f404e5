/**
 * The fleet simulator (scripts/simulator: a CE client written from the protocol doc) runs 200
 * devices through full download events against the app server while the browser watches one
 * device's page: every job ends in the status its device's behaviour implies.
 */
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { db } from "@/lib/db/client";
import { createTestDevice, createTestJob, createTestSoftware } from "@/lib/testing/factories";
import { runKnownDevices } from "@/scripts/simulator/fleet";

test.setTimeout(240_000);

async function fleet(n: number, packages: { id: number; packageId: string }[]) {
  const devices = [];
  for (let i = 0; i < n; i++) {
    const device = await createTestDevice();
    for (const p of packages) await createTestJob(device.id, p.id, "MARK_FOR_INSTALLATION");
    devices.push(device);
  }
  return devices;
}

async function statuses(deviceIds: number[]) {
  const rows = await db().installationJob.groupBy({ by: ["status"], where: { deviceId: { in: deviceIds } }, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

test("200 simulated devices download for real, with cut connections, duplicates and reversed reports; every job ends Downloaded", async ({ page, baseURL }) => {
  const packages = await Promise.all([createTestSoftware("OTHER_SOFTWARE", "1.0", randomBytes(40_000)), createTestSoftware("OTHER_SOFTWARE", "1.0", randomBytes(150_000))]);
  const devices = await fleet(200, packages);
  const watched = devices[0]!;

  await page.goto(`/devices/${watched.deviceUuid}`);
  await expect(page.getByRole("table", { name: "Installing", exact: true }).locator("tbody td [data-status]")).toHaveText(["Waiting for download", "Waiting for download"]);

  const summary = await runKnownDevices(baseURL!, devices, { rounds: 2, jitterMs: 20, concurrency: 32, dropRate: 0.3, duplicateRate: 0.2, outOfOrderRate: 0.2, seed: 7 });
  expect(summary.totals.errors, JSON.stringify(summary.devices.find((d) => d.errors.length)?.errors)).toBe(0);
  expect(summary.totals.installed).toBe(400);
  expect(summary.totals.resumes).toBeGreaterThan(0);
  // The second round found nothing new to install: the devices keep what they have.
  expect(summary.totals.polls).toBe(400);
  expect(await statuses(devices.map((d) => d.id))).toEqual({ DOWNLOADED: 400 });

  await page.reload();
  await expect(page.getByRole("table", { name: "Installed", exact: true }).locator("tbody td [data-status]")).toHaveText(["Downloaded", "Downloaded"]);
  await expect(page.getByTestId("machine-inventory")).toContainText("Device_DMClient");
  await expect(page.getByTestId("device-facts")).toContainText("Simulated CE 6.0");
});

test("devices whose downloads fail report 11032, and their jobs end Installation failed", async ({ baseURL }) => {
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", randomBytes(10_000));
  const devices = await fleet(20, [software]);
  const summary = await runKnownDevices(baseURL!, devices, { concurrency: 8, failRate: 1, outOfOrderRate: 0.5, seed: 3 });
  expect(summary.totals).toMatchObject({ errors: 0, reportedFailures: 20, installed: 0 });
  expect(await statuses(devices.map((d) => d.id))).toEqual({ INSTALLATION_FAILED: 20 });
});

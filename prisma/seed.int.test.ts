import { afterAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { SAMPLE_DEVICE, SAMPLE_PACKAGE_ID } from "@/lib/device-protocol/fixtures";
import { authenticateDevice } from "@/lib/devices/authenticate-device";
import { JOB_STATUSES } from "@/lib/installation-jobs/status-model";
import { DEMO_FLEET, seedDemoData } from "./seed";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

it("seeds the manual's sample device and job, jobs in every status, and is idempotent", async () => {
  await seedDemoData();
  const before = await db().installationJob.count();
  await seedDemoData();
  expect(await db().installationJob.count()).toBe(before);

  const device = await authenticateDevice(SAMPLE_DEVICE.deviceUuid, SAMPLE_DEVICE.auth);
  const jobs = await db().installationJob.findMany({ where: { deviceId: device.id }, include: { software: true } });
  expect(jobs).toHaveLength(1);
  expect(jobs[0]).toMatchObject({ method: "MARK_FOR_INSTALLATION", status: "WAITING_FOR_DOWNLOAD" });
  expect(jobs[0]!.software).toMatchObject({ name: "sample directory download", packageId: SAMPLE_PACKAGE_ID, kind: "OTHER_SOFTWARE", commandLine: "install.cab" });

  const statuses = await db().installationJob.findMany({ where: { device: { deviceUuid: { in: DEMO_FLEET.map((d) => d.deviceUuid) } } }, distinct: ["status"], select: { status: true } });
  expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(JOB_STATUSES));
});

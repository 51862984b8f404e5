/**
 * The devices and reports the ingest benchmarks send (bench-ingest, bench-retention): one
 * device per client, each with enough jobs that every report is a new, non-duplicate one, and
 * the in-process ingest path (authentication and the ingest transaction, no HTTP).
 */
import { authenticateDevice } from "@/lib/devices/authenticate-device";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { applyStatusReport } from "@/lib/installation-jobs/apply-status-report";
import { createTestDevice, createTestJob, createTestSoftware, statusXml } from "@/lib/testing/factories";

export type Fleet = { device: Awaited<ReturnType<typeof createTestDevice>>; packageIds: string[] }[];

export async function makeFleet(clients: number, reportsPerClient: number): Promise<Fleet> {
  const fleet: Fleet = [];
  const jobsPerDevice = Math.ceil(reportsPerClient / 3);
  for (let c = 0; c < clients; c++) {
    const device = await createTestDevice();
    const packageIds: string[] = [];
    for (let j = 0; j < jobsPerDevice; j++) {
      const software = await createTestSoftware();
      await createTestJob(device.id, software.id);
      packageIds.push(software.packageId);
    }
    fleet.push({ device, packageIds });
  }
  return fleet;
}

/**
 * Report number i of a client: 11030, 11031, 11035 for each of its packages in turn. Past the
 * last package it starts over with later device times: reports about delivered jobs, still
 * each a new log row and raw message (the ingest cost), for runs longer than the fleet.
 */
export function reportFor(fleet: Fleet, client: number, i: number) {
  const { device, packageIds } = fleet[client]!;
  const packageId = packageIds[Math.floor(i / 3) % packageIds.length]!;
  const messageId = ["11030", "11031", "11035"][i % 3]!;
  const second = String(i % 60).padStart(2, "0");
  const minute = String(Math.floor(i / 60) % 60).padStart(2, "0");
  const hour = String(10 + (Math.floor(i / 3600) % 14)).padStart(2, "0");
  const day = String(1 + Math.floor(i / (3600 * 14))).padStart(2, "0");
  return { device, packageId, messageId, body: statusXml([{ packageId, messageId, timestamp: `2026-11-${day} ${hour}:${minute}:${second}` }]) };
}

/** The endpoint's own service code for one report, in this process: what HTTP would call. */
export async function ingestInProcess(fleet: Fleet, client: number, i: number): Promise<void> {
  const r = reportFor(fleet, client, i);
  const device = await authenticateDevice(r.device.deviceUuid, r.device.token);
  const report = parseStatusReport(r.body);
  await applyStatusReport({ deviceId: device.id, report, rawBody: r.body, headers: { "X-Device-Action": "Status" }, now: new Date() });
}

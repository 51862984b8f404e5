/**
 * The devices list's job counters against the jobs themselves: a random mix of everything that
 * moves a job (creation, device reports in concurrent batches, verification, OMA DM and
 * download events, cancel, removal) through the real writer, then the counters must equal a
 * count of the jobs, and the maintenance recount must find nothing to correct.
 */
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { syncClientVersion } from "@/lib/devices/client-version";
import { isAppError } from "@/lib/errors";
import { createTestDevice, createTestJob, createTestSoftware, statusXml } from "@/lib/testing/factories";
import { applyStatusReport } from "./apply-status-report";
import { cancelJob } from "./cancel-job";
import { countsOf, recountDeviceJobCounts, zeroCounts, type JobCounts } from "./job-counts";
import { applyEventToJob, removeJobById } from "./job-writer";
import { INSTALL_METHODS, JOB_COUNT_BUCKETS, type JobEvent } from "./status-model";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

/** mulberry32: a seeded generator, so a failing mix can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Fleet = { devices: Awaited<ReturnType<typeof createTestDevice>>[]; ids: number[] };

/** Counters as stored, and as the jobs say they should be (jobCountBucket in TypeScript, not SQL). */
async function countersAndTruth(fleet: Fleet) {
  const stored = await db().device.findMany({ where: { id: { in: fleet.ids } }, select: { id: true, installingCount: true, installedCount: true, attentionCount: true } });
  const jobs = await db().installationJob.findMany({ where: { deviceId: { in: fleet.ids } }, select: { deviceId: true, status: true, cancelledAt: true } });
  const truth = new Map<number, JobCounts>(fleet.ids.map((id) => [id, zeroCounts()]));
  for (const j of jobs) {
    const c = countsOf(j);
    for (const b of JOB_COUNT_BUCKETS) truth.get(j.deviceId)![b] += c[b];
  }
  return {
    stored: Object.fromEntries(stored.map((d) => [d.id, { installing: d.installingCount, installed: d.installedCount, attention: d.attentionCount }])),
    truth: Object.fromEntries(truth),
    jobs: jobs.length,
  };
}

async function runMix(seed: number, fleet: Fleet, steps: number) {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const software = await Promise.all([createTestSoftware("DME_CLIENT", "2.0"), createTestSoftware("DME_CLIENT", "2.1"), createTestSoftware(), createTestSoftware()]);
  const clientVersions = new Map(fleet.devices.map((d) => [d.id, "1.0" as string | null]));
  let minute = 0;
  const stamp = () => {
    minute++;
    return `2026-11-20 ${String(Math.floor(minute / 60) % 24).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}:00`;
  };
  const jobsOf = async (deviceId: number) => (await db().installationJob.findMany({ where: { deviceId }, select: { id: true } })).map((j) => j.id);
  const tally: Record<string, number> = {};
  for (let step = 0; step < steps; step++) {
    const device = pick(fleet.devices);
    const now = new Date(Date.UTC(2026, 10, 20, 12, 0, step));
    const op = pick(["create", "create", "reports", "reports", "reports", "version", "event", "cancel", "remove"] as const);
    tally[op] = (tally[op] ?? 0) + 1;
    switch (op) {
      case "create":
        await createTestJob(device.id, pick(software).id, pick(INSTALL_METHODS), now);
        break;
      case "reports": {
        // Several devices at once, so that group commit batches them; some documents carry several messages.
        const senders = [device, pick(fleet.devices), pick(fleet.devices)].filter((d, i, all) => all.indexOf(d) === i);
        await Promise.all(
          senders.map((d) => {
            const messages = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
              packageId: pick(software).packageId,
              messageId: pick(["11030", "11030", "11031", "11032", "11035", "99999"]),
              timestamp: stamp(),
              returnCode: pick(["0", "0", "0x80072EE7"]),
            }));
            const body = statusXml(messages);
            return applyStatusReport({ deviceId: d.id, report: parseStatusReport(body), rawBody: body, headers: {}, now });
          }),
        );
        break;
      }
      case "version": {
        const reported = pick(["1.0", "2.0", "2.1"]);
        await syncClientVersion(device.id, clientVersions.get(device.id)!, reported, now);
        clientVersions.set(device.id, reported);
        break;
      }
      case "event": {
        const jobs = await jobsOf(device.id);
        if (jobs.length === 0) break;
        const event: JobEvent = pick<JobEvent>([
          { type: "BOOTSTRAP_SUCCEEDED" },
          { type: "BOOTSTRAP_FAILED", fallbackMethod: "MARK_FOR_INSTALLATION", reason: "timeout" },
          { type: "OMA_DM_INSTALL_SUCCEEDED" },
          { type: "OMA_DM_INSTALL_FAILED" },
          { type: "PACKAGE_FETCH_STARTED", start: 0, size: 10 },
          { type: "PACKAGE_FETCHED", size: 10, completesDelivery: true },
        ]);
        await applyEventToJob(pick(jobs), event, now);
        break;
      }
      case "cancel": {
        const jobs = await jobsOf(device.id);
        if (jobs.length === 0) break;
        // A finished or already cancelled job refuses: that must move no counter either.
        await cancelJob(pick(jobs), now).catch((e: unknown) => {
          if (!isAppError(e, "CONFLICT")) throw e;
        });
        break;
      }
      case "remove": {
        const jobs = await jobsOf(device.id);
        if (jobs.length > 0) expect(await removeJobById(pick(jobs), now)).toBe(true);
        break;
      }
    }
  }
  return tally;
}

describe("per-device job counters", () => {
  it("equal a count of the jobs after a random mix of every job change, and the recount agrees", async () => {
    const devices = await Promise.all([
      createTestDevice({ clientVersion: "1.0" }),
      createTestDevice({ clientVersion: "1.0", omaDmBootstrapped: true }),
      createTestDevice({ clientVersion: "1.0" }),
      createTestDevice({ clientVersion: "1.0", omaDmBootstrapped: true }),
      createTestDevice({ clientVersion: "1.0" }),
    ]);
    const fleet = { devices, ids: devices.map((d) => d.id) };
    const seed = Number(process.env.JOB_COUNTS_SEED ?? 20261201);
    const tally = await runMix(seed, fleet, 160);

    const { stored, truth, jobs } = await countersAndTruth(fleet);
    expect(stored, `seed ${seed}, operations ${JSON.stringify(tally)}`).toEqual(truth);
    // The mix reached every bucket, so the comparison above says something.
    for (const b of JOB_COUNT_BUCKETS) expect(Object.values(truth).some((c) => c[b] > 0), b).toBe(true);
    expect(jobs).toBeGreaterThan(20);
    expect(tally.remove).toBeGreaterThan(0);

    const range = { afterId: Math.min(...fleet.ids) - 1, upToId: Math.max(...fleet.ids) };
    expect(await recountDeviceJobCounts({ ...range, chunk: 2 })).toEqual({ devices: fleet.ids.length, corrected: 0 });
  });

  it("the recount corrects counters that went wrong, a chunk at a time", async () => {
    const devices = await Promise.all([createTestDevice(), createTestDevice(), createTestDevice()]);
    const software = await createTestSoftware();
    for (const d of devices) await createTestJob(d.id, software.id);
    const ids = devices.map((d) => d.id);
    // Wrong on purpose (as a bulk load or a bug would leave them): two devices off, one right.
    await db().device.updateMany({ where: { id: { in: ids.slice(0, 2) } }, data: { installingCount: 7, attentionCount: 2 } });

    const chunks: number[] = [];
    const result = await recountDeviceJobCounts({ afterId: Math.min(...ids) - 1, upToId: Math.max(...ids), chunk: 2, onChunk: (r) => chunks.push(r.lastId) });
    expect(result).toEqual({ devices: 3, corrected: 2 });
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    const { stored, truth } = await countersAndTruth({ devices, ids });
    expect(stored).toEqual(truth);
    expect(Object.values(stored)).toEqual([1, 1, 1].map(() => ({ installing: 1, installed: 0, attention: 0 })));
  });
});

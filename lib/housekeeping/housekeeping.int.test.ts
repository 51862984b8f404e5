/**
 * Housekeeping's sweeps on a real database: each changes what is due through the writers, says
 * why in the log, leaves everything else alone, and does nothing when run again. Time is moved
 * by setting the rows' own timestamps back, as the clock would have.
 */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { sql, statement } from "@/lib/db/sql";
import { resendJobLink } from "@/lib/delivery/resend";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";
import { createTestDevice, createTestJob, createTestSoftware, createTestUser } from "@/lib/testing/factories";
import { deleteOldLog, logLapsedLinks, markStuckJobs, timeOutBootstraps } from "./housekeeping";

const DAY = 86_400_000;
const budget = () => ({ deadline: Date.now() + 30_000, batchSize: 500 });
const ago = (ms: number) => new Date(Date.now() - ms);

const setJobUpdatedSql = statement("test_hk_job_updated", `UPDATE installation_jobs SET updated_at = $2::timestamptz WHERE id = $1::int`);
const setBootstrapSql = statement("test_hk_bootstrap_at", `UPDATE devices SET bootstrap_requested_at = $2::timestamptz WHERE id = $1::int`);
// The job's first link only: a resent one has a link of its own.
const setLinkExpirySql = statement(
  "test_hk_link_expiry",
  `UPDATE outbound_messages SET link_expires_at = $2::timestamptz WHERE id = (SELECT min(id) FROM outbound_messages WHERE job_id = $1::int)`,
);
const setLogReceivedSql = statement("test_hk_log_received", `UPDATE installation_log SET received_at = $2::timestamptz WHERE job_id = $1::int`);

const job = (id: number) => db().installationJob.findUniqueOrThrow({ where: { id } });
const codes = async (jobId: number) => (await db().installationLogEntry.findMany({ where: { jobId }, orderBy: { id: "asc" } })).map((r) => r.code);

async function pushJob(method: "SMS_PUSH" | "OMA_DM") {
  const { actor } = await createTestUser("superuser");
  const device = await createTestDevice();
  await db().device.update({ where: { id: device.id }, data: { phoneNumber: "+15550177" } });
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`hk ${Math.random()}`));
  const { jobs } = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method, ...(method === "OMA_DM" ? { fallbackMethod: "SMS_PUSH" } : {}) });
  return { actor, device, jobId: jobs[0]!.id };
}

describe("housekeeping", () => {
  it("times out a bootstrap with no OMA DM session: its jobs fall back and their link goes out", async () => {
    const { device, jobId } = await pushJob("OMA_DM");
    const fresh = await pushJob("OMA_DM");
    await sql().query(setBootstrapSql, [device.id, ago(25 * 3_600_000)]);
    const first = await timeOutBootstraps(new Date(), budget());
    expect(first.changed).toBeGreaterThanOrEqual(1);
    expect(await job(jobId)).toMatchObject({ status: "WAITING_FOR_DOWNLOAD", fallbackMethod: "SMS_PUSH", fallbackReason: "no OMA DM session within 24 hours of the bootstrap" });
    expect(await db().outboundMessage.count({ where: { jobId, kind: "SMS_PUSH" } })).toBe(1);
    expect((await db().device.findUniqueOrThrow({ where: { id: device.id } })).bootstrapRequestedAt).toBeNull();
    expect((await job(fresh.jobId)).status).toBe("WAITING_FOR_BOOTSTRAP");
    await timeOutBootstraps(new Date(), budget());
    expect(await db().outboundMessage.count({ where: { jobId, kind: "SMS_PUSH" } })).toBe(1);
  });

  it("makes a job with no change for the configured days Unknown status, saying why; nothing else", async () => {
    const device = await createTestDevice();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`hk ${Math.random()}`));
    const other = await createTestSoftware("OTHER_SOFTWARE", "2.0", Buffer.from(`hk ${Math.random()}`));
    const stuck = await createTestJob(device.id, software.id);
    const recent = await createTestJob(device.id, other.id);
    await sql().query(setJobUpdatedSql, [stuck.id, ago(15 * DAY)]);
    await sql().query(setJobUpdatedSql, [recent.id, ago(13 * DAY)]);
    await markStuckJobs(new Date(), budget());
    expect((await job(stuck.id)).status).toBe("UNKNOWN_STATUS");
    expect((await codes(stuck.id)).at(-1)).toBe("JOB_STUCK");
    expect((await job(recent.id)).status).toBe("WAITING_FOR_DOWNLOAD");
    const again = await markStuckJobs(new Date(), budget());
    expect(await codes(stuck.id)).toHaveLength(2);
    expect(again.more).toBe(false);
  });

  it("logs a pushed link that expired unopened, once, and not when a newer link replaced it", async () => {
    const lapsed = await pushJob("SMS_PUSH");
    await sql().query(setLinkExpirySql, [lapsed.jobId, ago(60_000)]);
    const replaced = await pushJob("SMS_PUSH");
    await resendJobLink(replaced.actor, replaced.jobId);
    await sql().query(setLinkExpirySql, [replaced.jobId, ago(60_000)]);
    await logLapsedLinks(new Date(), budget());
    await logLapsedLinks(new Date(), budget());
    expect((await codes(lapsed.jobId)).filter((c) => c === "LINK_LAPSED")).toHaveLength(1);
    expect(await codes(replaced.jobId)).not.toContain("LINK_LAPSED");
    expect((await job(lapsed.jobId)).status).toBe("WAITING_FOR_DOWNLOAD");
  });

  it("deletes installation-log rows past the retention, in batches, and only those", async () => {
    const device = await createTestDevice();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`hk ${Math.random()}`));
    const old = await createTestJob(device.id, software.id);
    const kept = await createTestJob(device.id, (await createTestSoftware("OTHER_SOFTWARE", "2.0", Buffer.from(`hk ${Math.random()}`))).id);
    await sql().query(setLogReceivedSql, [old.id, ago(181 * DAY)]);
    await sql().query(setLogReceivedSql, [kept.id, ago(179 * DAY)]);
    const result = await deleteOldLog(new Date(), { ...budget(), retentionDays: 180 });
    expect(result.changed).toBeGreaterThanOrEqual(1);
    expect(await codes(old.id)).toEqual([]);
    expect(await codes(kept.id)).toEqual(["JOB_CREATED"]);
    expect((await deleteOldLog(new Date(), { ...budget(), retentionDays: 180 })).changed).toBe(0);
  });
});

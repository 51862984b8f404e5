/**
 * What an administrator does to a job (console and API): each checks the actor's role, changes
 * the job through the job writer in one transaction (with the message the new state calls for,
 * handed to the delivery layer in that transaction), then records the audit event. The audit
 * row comes after the commit, never inside it: it is written through Prisma's pool, and on the
 * embedded PGlite a second connection waits for an open transaction to end.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { sql, statement } from "@/lib/db/sql";
import { resolveDeviceSelection } from "@/lib/devices/device-selection";
import { deviceSelectionSchema } from "@/lib/devices/device-selection-schema";
import { parseOrThrow } from "@/lib/validation";
import { handOver } from "@/lib/delivery/delivery";
import { jobMessageFacts, linkContext, messageForJob } from "@/lib/delivery/job-messages";
import { AppError } from "@/lib/errors";
import { cancelJob } from "./cancel-job";
import { applyEvent, lockJobWithDevice, removeJobById } from "./job-writer";
import { getJob } from "./queries";
import { UNFINISHED_STATUSES, unfinishedJobs } from "./unfinished";

async function jobOrThrow(jobId: number) {
  const job = Number.isSafeInteger(jobId) && jobId > 0 ? await getJob(jobId) : null;
  if (!job) throw new AppError("NOT_FOUND", `There is no installation job ${jobId}.`);
  return job;
}

const describe = (job: Awaited<ReturnType<typeof jobOrThrow>>) => ({ device: job.deviceUuid, software: `${job.softwareName} ${job.softwareVersion}`, status: job.status });

export async function cancelJobAs(actor: Actor, jobId: number): Promise<void> {
  assertCan(actor, { job: ["write"] });
  const job = await jobOrThrow(jobId);
  await cancelJob(jobId);
  await recordAudit(actor, "job.cancel", { type: "job", id: jobId }, describe(job));
}

/** Retry a failed or unknown job: attempt n+1 starts, and a push job's link (or a bootstrap) goes out again. */
export async function retryJobAs(actor: Actor, jobId: number, origin = "http://localhost", now = new Date()): Promise<{ attempts: number }> {
  assertCan(actor, { job: ["write"] });
  const before = await jobOrThrow(jobId);
  const link = await linkContext(origin, now);
  const attempts = await sql().transaction(async (tx) => {
    const locked = await lockJobWithDevice(tx, jobId);
    if (!locked) throw new AppError("NOT_FOUND", `There is no installation job ${jobId}.`);
    const facts = (await jobMessageFacts(tx, [jobId])).get(jobId)!;
    const others = await unfinishedJobs(tx, [locked.job.deviceId], facts.softwareId, jobId);
    if (others.length > 0) throw new AppError("CONFLICT", `${others[0]!.deviceName} already has an unfinished job (${others[0]!.jobId}) for this software.`);
    const applied = await applyEvent(tx, locked.job, locked.device.clientVersion, { type: "JOB_RETRIED", deviceBootstrapped: locked.device.bootstrapped }, { deviceId: locked.job.deviceId, now });
    if (!applied.transition.changed) throw new AppError("CONFLICT", "Only failed jobs and jobs of unknown status can be retried.");
    const message = messageForJob(applied.job, facts, locked.device, link);
    if (message) await handOver(tx, [message], now);
    return applied.job.attempts;
  });
  await recordAudit(actor, "job.retry", { type: "job", id: jobId }, { ...describe(before), attempt: attempts });
  return { attempts };
}

/** Remove a job: it leaves the device's tables and poll; its history stays in the log. */
export async function removeJobAs(actor: Actor, jobId: number, now = new Date()): Promise<void> {
  assertCan(actor, { job: ["write"] });
  const job = await jobOrThrow(jobId);
  if (!(await removeJobById(jobId, now))) throw new AppError("NOT_FOUND", `There is no installation job ${jobId}.`);
  await recordAudit(actor, "job.remove", { type: "job", id: jobId }, describe(job));
}

const unfinishedOfDevicesSql = statement<{ jobId: number }>(
  "jobs_unfinished_of_devices",
  // Device order, as every writer locks devices, so a bulk cancel and a report cannot deadlock.
  `SELECT j.id AS "jobId" FROM installation_jobs j JOIN devices d ON d.id = j.device_id
    WHERE d.device_uuid = ANY($1::text[]) AND j.cancelled_at IS NULL AND j.status = ANY($2::job_status[])
    ORDER BY j.device_id, j.id`,
);

/** Devices per transaction: each holds its devices' row locks, which their polls and reports wait for. */
const CANCEL_CHUNK = 500;

/** Cancel every unfinished job of the selected devices (a bulk action on the devices list). */
export async function cancelUnfinishedJobsAs(actor: Actor, input: unknown, now = new Date()): Promise<{ cancelled: number; devices: number }> {
  assertCan(actor, { job: ["write"] });
  const uuids = await resolveDeviceSelection(parseOrThrow(deviceSelectionSchema, input), now);
  let cancelled = 0;
  for (let i = 0; i < uuids.length; i += CANCEL_CHUNK) {
    cancelled += await sql().transaction(async (tx) => {
      let n = 0;
      for (const { jobId } of await tx.query(unfinishedOfDevicesSql, [uuids.slice(i, i + CANCEL_CHUNK), UNFINISHED_STATUSES])) {
        const locked = await lockJobWithDevice(tx, jobId);
        if (!locked) continue;
        const applied = await applyEvent(tx, locked.job, locked.device.clientVersion, { type: "JOB_CANCELLED" }, { deviceId: locked.job.deviceId, now });
        if (applied.transition.changed) n++;
      }
      return n;
    });
  }
  await recordAudit(actor, "job.cancel_unfinished", { type: "devices", id: uuids.length === 1 ? uuids[0]! : `${uuids.length} devices` }, { devices: uuids.length, cancelled });
  return { cancelled, devices: uuids.length };
}

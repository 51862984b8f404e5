/**
 * Housekeeping: the sweeps that time, not a request, sets off. The queue runs them once a
 * minute in one of the processes that have workers (pg-boss schedules fire once across all of
 * them, queue.ts); each sweep reads a small partial index (migration housekeeping), takes a
 * bounded bite, and changes rows only through their writers, in short transactions of their own,
 * so it is safe beside devices reporting and administrators clicking, and a sweep that runs
 * twice does nothing the second time.
 *
 * - bootstrap timeouts: a bootstrap with no OMA DM session within the timeout has failed; its
 *   jobs fall back (settleBootstrap, as a failed message or an administrator would);
 * - stuck jobs: an unfinished job with no change for the configured days becomes Unknown status;
 * - rollout releases: a gradual install releases the jobs now due (N an hour, inside its daily
 *   window) and pauses itself once its failure rate passes its threshold (releaseRollouts,
 *   lib/installation-jobs/rollout.ts); it runs after the stuck jobs, whose Unknown status counts
 *   as failed;
 * - lapsed links: a link sent by SMS or WAP push that expired unopened is logged on its job;
 * - stale messages: a message still to send that no queue job is working on is queued again;
 * - log retention: installation-log rows past the retention are deleted, a few thousand per
 *   statement, so ingest never waits long behind the delete.
 *
 * Jobs leave the Installed sub-table 7 days after completion by the table's own query
 * (INSTALLED_TABLE_RETENTION_MS): nothing is written for that, and the log keeps them.
 */
import { sql, statement } from "@/lib/db/sql";
import { settleBootstrap } from "@/lib/devices/bootstrap";
import { linkContext } from "@/lib/delivery/job-messages";
import { requeueStale } from "@/lib/delivery/outbox";
import { applyEvent, lockJobWithDevice, logJobEntry } from "@/lib/installation-jobs/job-writer";
import { releaseRollouts } from "@/lib/installation-jobs/rollout";
import { STUCK_STATUSES } from "@/lib/installation-jobs/status-model";
import { serverOptions } from "@/lib/settings/server-options";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type SweepResult = { name: string; changed: number; more: boolean };
export type Budget = { deadline: number; batchSize: number };

const timedOutBootstrapsSql = statement<{ id: number; server: string | null }>(
  "housekeeping_timed_out_bootstraps",
  `SELECT d.id,
          (SELECT m.content->>'server' FROM outbound_messages m WHERE m.device_id = d.id AND m.kind = 'BOOTSTRAP' ORDER BY m.id DESC LIMIT 1) AS server
     FROM devices d
    WHERE d.bootstrap_requested_at < $1::timestamptz
    ORDER BY d.bootstrap_requested_at LIMIT $2::int`,
);
const lockBootstrapDeviceSql = statement<{ id: number; clientVersion: string | null; phoneNumber: string | null; bootstrapRequestedAt: Date | null }>(
  "housekeeping_lock_bootstrap_device",
  `SELECT id, client_version AS "clientVersion", phone_number AS "phoneNumber", bootstrap_requested_at AS "bootstrapRequestedAt" FROM devices WHERE id = $1::int FOR UPDATE`,
);

export async function timeOutBootstraps(now: Date, budget: Budget): Promise<SweepResult> {
  const hours = (await serverOptions()).bootstrapTimeoutHours;
  const cutoff = new Date(now.getTime() - hours * HOUR);
  const due = await sql().query(timedOutBootstrapsSql, [cutoff, budget.batchSize]);
  let changed = 0;
  for (const { id, server } of due) {
    if (Date.now() > budget.deadline) return { name: "bootstrap timeouts", changed, more: true };
    const link = await linkContext(server ?? "http://localhost", now);
    changed += await sql().transaction(async (tx) => {
      const [device] = await tx.query(lockBootstrapDeviceSql, [id]);
      // Settled meanwhile (a session, an administrator, a failed message): nothing to do.
      if (!device?.bootstrapRequestedAt || device.bootstrapRequestedAt >= cutoff) return 0;
      await settleBootstrap(tx, device, { succeeded: false, reason: `no OMA DM session within ${hours} hours of the bootstrap` }, link);
      return 1;
    });
  }
  return { name: "bootstrap timeouts", changed, more: due.length === budget.batchSize };
}

const stuckJobsSql = statement<{ id: number }>(
  "housekeeping_stuck_jobs",
  `SELECT id FROM installation_jobs
    WHERE cancelled_at IS NULL AND status = ANY($2::job_status[]) AND updated_at < $1::timestamptz
    ORDER BY updated_at, id LIMIT $3::int`,
);

export async function markStuckJobs(now: Date, budget: Budget): Promise<SweepResult> {
  const days = (await serverOptions()).stuckJobDays;
  const cutoff = new Date(now.getTime() - days * DAY);
  const due = await sql().query(stuckJobsSql, [cutoff, STUCK_STATUSES, budget.batchSize]);
  let changed = 0;
  for (const { id } of due) {
    if (Date.now() > budget.deadline) return { name: "stuck jobs", changed, more: true };
    changed += await sql().transaction(async (tx) => {
      const locked = await lockJobWithDevice(tx, id);
      // Moved meanwhile: its clock started again.
      if (!locked || locked.job.cancelledAt || !STUCK_STATUSES.includes(locked.job.status)) return 0;
      const [row] = await tx.query(jobUpdatedAtSql, [id]);
      if (!row || row.updatedAt >= cutoff) return 0;
      await applyEvent(tx, locked.job, locked.device.clientVersion, { type: "JOB_STUCK", days }, { deviceId: locked.job.deviceId, now });
      return 1;
    });
  }
  return { name: "stuck jobs", changed, more: due.length === budget.batchSize };
}
const jobUpdatedAtSql = statement<{ updatedAt: Date }>("housekeeping_job_updated_at", `SELECT updated_at AS "updatedAt" FROM installation_jobs WHERE id = $1::int`);

const lapsedLinksSql = statement<{ id: string; jobId: number | null; kind: "SMS_PUSH" | "WAP_PUSH"; expiresAt: Date }>(
  "housekeeping_lapsed_links",
  `SELECT id::text, job_id AS "jobId", kind::text, link_expires_at AS "expiresAt" FROM outbound_messages
    WHERE lapse_logged_at IS NULL AND link_expires_at IS NOT NULL AND link_expires_at < $1::timestamptz
    ORDER BY link_expires_at LIMIT $2::int`,
);
// Only the first to get there logs it (two rounds may overlap).
const markLapseSql = statement<{ id: string }>("housekeeping_mark_lapse", `UPDATE outbound_messages SET lapse_logged_at = $2::timestamptz WHERE id = $1::bigint AND lapse_logged_at IS NULL RETURNING id::text`);
const newerLinkSql = statement<{ id: string }>(
  "housekeeping_newer_link",
  `SELECT id::text FROM outbound_messages WHERE job_id = $1::int AND kind <> 'BOOTSTRAP' AND id > $2::bigint LIMIT 1`,
);

export async function logLapsedLinks(now: Date, budget: Budget): Promise<SweepResult> {
  const due = await sql().query(lapsedLinksSql, [now, budget.batchSize]);
  let changed = 0;
  for (const m of due) {
    if (Date.now() > budget.deadline) return { name: "lapsed links", changed, more: true };
    changed += await sql().transaction(async (tx) => {
      const locked = m.jobId !== null ? await lockJobWithDevice(tx, m.jobId) : null;
      if ((await tx.query(markLapseSql, [m.id, now])).length === 0) return 0;
      // Worth saying only while the job still waits for that link (not opened, not replaced).
      if (!locked || locked.job.cancelledAt || locked.job.status !== "WAITING_FOR_DOWNLOAD") return 0;
      if ((await tx.query(newerLinkSql, [m.jobId, m.id])).length > 0) return 0;
      await logJobEntry(tx, locked.job, { code: "LINK_LAPSED", data: { via: m.kind, expiredAt: m.expiresAt.toISOString(), messageId: m.id } }, { deviceId: locked.job.deviceId, now });
      return 1;
    });
  }
  return { name: "lapsed links", changed, more: due.length === budget.batchSize };
}

/** Messages still to send that no queue job seems to be working on go back into the queue (outbox.ts). */
export async function requeueStaleMessages(now: Date, budget: Budget): Promise<SweepResult> {
  const changed = await requeueStale(now, budget.batchSize);
  return { name: "stale messages", changed, more: changed === budget.batchSize };
}

// The oldest rows by receive time, through the (received_at, id) index, a bounded number at a time.
const deleteOldLogSql = statement<{ n: number }>(
  "housekeeping_delete_old_log",
  `WITH doomed AS (
     SELECT id FROM installation_log WHERE received_at < $1::timestamptz ORDER BY received_at, id LIMIT $2::int
   ), gone AS (
     DELETE FROM installation_log l USING doomed WHERE l.id = doomed.id RETURNING 1
   )
   SELECT count(*)::int AS n FROM gone`,
);

/** Rows per delete statement: small enough that a report waiting on one of its locks waits milliseconds. */
export const LOG_DELETE_BATCH = 2_000;

export async function deleteOldLog(now: Date, budget: Budget & { retentionDays?: number; pauseMs?: number }): Promise<SweepResult> {
  const days = budget.retentionDays ?? (await serverOptions()).logRetentionDays;
  const cutoff = new Date(now.getTime() - days * DAY);
  let changed = 0;
  for (;;) {
    const [{ n }] = (await sql().query(deleteOldLogSql, [cutoff, LOG_DELETE_BATCH])) as [{ n: number }];
    changed += n;
    if (n < LOG_DELETE_BATCH) return { name: "log retention", changed, more: false };
    if (Date.now() > budget.deadline) return { name: "log retention", changed, more: true };
    // A breath between statements lets ingest's commits (and autovacuum) in.
    if (budget.pauseMs) await new Promise((r) => setTimeout(r, budget.pauseMs));
  }
}

export const SWEEPS = [requeueStaleMessages, timeOutBootstraps, markStuckJobs, releaseRollouts, logLapsedLinks, deleteOldLog] as const;

/** One round of every sweep, within `seconds`; what each changed. */
export async function runHousekeeping(now = new Date(), seconds = 50): Promise<SweepResult[]> {
  const deadline = Date.now() + seconds * 1000;
  const results: SweepResult[] = [];
  for (const sweep of SWEEPS) results.push(await sweep(now, { deadline, batchSize: 500, pauseMs: 10 } as Budget));
  return results;
}

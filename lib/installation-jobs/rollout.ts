/**
 * Throttled rollouts: an install released gradually (rollout-plan.ts holds the arithmetic).
 *
 * createInstallBatch writes the batch with its plan, every target (install_batch_targets, the
 * chosen devices in order) and the first release in one transaction (startRollout). From then
 * on the housekeeping sweep (releaseRollouts, once a minute) releases what is due, and pauses a
 * batch whose failure rate passed its threshold. Each step is a short transaction that first
 * locks the batch row, so any number of processes can sweep at once: the second waits for the
 * first and then sees its progress, and no target is released twice. Jobs are created exactly
 * as an install creates them (install-jobs.ts); a target whose device was removed or has an
 * unfinished job for the software by its turn is skipped, the reason kept on the target.
 *
 * Audit rows (pause, resume, the automatic pause) are written after the commit through
 * Prisma's pool, as the job actions write theirs (on PGlite a second connection would wait for
 * the open transaction).
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, SYSTEM_ACTOR, type Actor } from "@/lib/auth/actor";
import { sql, statement, type Sql } from "@/lib/db/sql";
import { linkContext, type LinkContext } from "@/lib/delivery/job-messages";
import { AppError } from "@/lib/errors";
import type { Budget, SweepResult } from "@/lib/housekeeping/housekeeping";
import { createInstallJobs, lockInstallTargets, notInstallable, readInstallSoftware, type CreatedJob, type InstallDevice, type InstallOptions, type InstallSoftware } from "./install-jobs";
import { failureCounts, failurePause, failureRuleOf, planRelease, releaseAfter, releaseDue, releasePlanOf, type ReleasePlan, type RolloutColumns } from "./rollout-plan";
import type { InstallMethod, JobStatus } from "./status-model";

/** Targets one transaction handles at most: its device locks are what polls and reports of those devices wait for. */
export const RELEASE_CHUNK = 500;

const insertTargetsSql = statement(
  "rollout_insert_targets",
  `INSERT INTO install_batch_targets (batch_id, position, device_id, device_uuid)
   SELECT $1::int, t.position::int, t.device_id, t.device_uuid FROM unnest($2::int[], $3::text[]) WITH ORDINALITY AS t(device_id, device_uuid, position)`,
);
const markTargetsSql = statement(
  "rollout_mark_targets",
  `UPDATE install_batch_targets t SET released_at = $2::timestamptz, job_id = v.job_id, skipped_reason = v.reason
     FROM unnest($3::int[], $4::int[], $5::text[]) AS v(position, job_id, reason)
    WHERE t.batch_id = $1::int AND t.position = v.position AND t.released_at IS NULL`,
);
const recordReleaseSql = statement(
  "rollout_record_release",
  `UPDATE install_batches SET released_count = released_count + $2::int, job_count = job_count + $3::int,
          last_slot_at = COALESCE($4::timestamptz, last_slot_at), next_release_at = $5::timestamptz
    WHERE id = $1::int`,
);

/**
 * A gradual install's start, inside createInstallBatch's transaction: every target, and the jobs
 * of the first release if the window is open. `devices` are locked (lockInstallTargets) and in
 * the order chosen.
 */
export async function startRollout(tx: Sql, plan: ReleasePlan, software: InstallSoftware, devices: InstallDevice[], opts: InstallOptions): Promise<{ jobs: CreatedJob[]; nextReleaseAt: Date | null }> {
  await tx.query(insertTargetsSql, [opts.batchId, devices.map((d) => d.id), devices.map((d) => d.deviceUuid)]);
  const decision = planRelease(plan, { targets: devices.length, released: 0, lastSlotAt: null, paused: false }, opts.now);
  const first = devices.slice(0, decision.count);
  const jobs = await createInstallJobs(tx, software, [...first].sort((a, b) => a.id - b.id), opts);
  const jobOf = new Map(jobs.map((j) => [j.deviceId, j.id]));
  await tx.query(markTargetsSql, [opts.batchId, opts.now, first.map((_, i) => i + 1), first.map((d) => jobOf.get(d.id)!), first.map(() => null)]);
  await tx.query(recordReleaseSql, [opts.batchId, first.length, jobs.length, decision.lastSlotAt, decision.nextDueAt]);
  return { jobs, nextReleaseAt: decision.nextDueAt };
}

type LockedBatch = RolloutColumns & {
  id: number;
  softwareId: number;
  method: InstallMethod;
  fallbackMethod: InstallMethod | null;
  targetCount: number;
  releasedCount: number;
  lastSlotAt: Date | null;
  nextReleaseAt: Date | null;
  linkOrigin: string | null;
  pausedAt: Date | null;
  pauseReason: string | null;
  failedAtResume: number;
  finishedAtResume: number;
};
type BatchRow = Omit<LockedBatch, "perHour" | "targetCount"> & { perHour: number | null; targetCount: number | null };

const lockBatchSql = statement<BatchRow>(
  "rollout_lock_batch",
  // NO KEY UPDATE: the batch's new jobs reference the row (a key-share lock), which this must not block.
  `SELECT id, software_id AS "softwareId", method, fallback_method AS "fallbackMethod", per_hour AS "perHour",
          window_start_minute AS "windowStartMinute", window_end_minute AS "windowEndMinute",
          failure_threshold_percent AS "failureThresholdPercent", min_finished AS "minFinished",
          target_count AS "targetCount", released_count AS "releasedCount", last_slot_at AS "lastSlotAt",
          next_release_at AS "nextReleaseAt", link_origin AS "linkOrigin", paused_at AS "pausedAt", pause_reason AS "pauseReason",
          failed_at_resume AS "failedAtResume", finished_at_resume AS "finishedAtResume"
     FROM install_batches WHERE id = $1::int FOR NO KEY UPDATE`,
);
const batchStatusCountsSql = statement<{ status: JobStatus; count: number }>(
  "rollout_status_counts",
  // The (batch_id, status) index; cancelled jobs neither failed nor finished.
  `SELECT status, count(*)::int AS count FROM installation_jobs WHERE batch_id = $1::int AND cancelled_at IS NULL GROUP BY status`,
);
const nextTargetsSql = statement<{ position: number; deviceId: number | null; deviceUuid: string }>(
  "rollout_next_targets",
  `SELECT position, device_id AS "deviceId", device_uuid AS "deviceUuid" FROM install_batch_targets
    WHERE batch_id = $1::int AND released_at IS NULL ORDER BY position LIMIT $2::int`,
);
const skipRestSql = statement<{ n: number }>(
  "rollout_skip_rest",
  `WITH skipped AS (
     UPDATE install_batch_targets SET released_at = $2::timestamptz, skipped_reason = $3::text WHERE batch_id = $1::int AND released_at IS NULL RETURNING 1
   ), counted AS (
     UPDATE install_batches SET released_count = released_count + (SELECT count(*) FROM skipped)::int, next_release_at = NULL WHERE id = $1::int RETURNING 1
   )
   SELECT (SELECT count(*) FROM skipped)::int AS n FROM counted`,
);
const setNextReleaseSql = statement("rollout_set_next_release", `UPDATE install_batches SET next_release_at = $2::timestamptz WHERE id = $1::int`);
const pauseSql = statement<{ id: number }>(
  "rollout_pause",
  // Written once: a batch already paused keeps its first reason.
  `UPDATE install_batches SET paused_at = $2::timestamptz, paused_by = $3::text, pause_reason = $4::text, next_release_at = NULL
    WHERE id = $1::int AND paused_at IS NULL RETURNING id`,
);
const resumeSql = statement<{ id: number }>(
  "rollout_resume",
  `UPDATE install_batches SET paused_at = NULL, paused_by = NULL, pause_reason = NULL, next_release_at = $2::timestamptz,
          failed_at_resume = $3::int, finished_at_resume = $4::int
    WHERE id = $1::int AND paused_at IS NOT NULL RETURNING id`,
);

async function lockRollout(tx: Sql, batchId: number): Promise<LockedBatch | null> {
  const [batch] = await tx.query(lockBatchSql, [batchId]);
  return batch && batch.perHour !== null && batch.targetCount !== null ? (batch as LockedBatch) : null;
}

/**
 * Releases up to `want` jobs of the locked batch, in target order: the devices locked in id
 * order, a removed one or one with an unfinished job for the software skipped with the reason.
 * Skipped targets use no slot: the release goes on to the next target, within RELEASE_CHUNK.
 */
async function releaseTargets(tx: Sql, batch: LockedBatch, software: InstallSoftware, want: number, opts: InstallOptions): Promise<{ created: number; handled: number }> {
  let created = 0;
  let handled = 0;
  while (created < want && handled < RELEASE_CHUNK) {
    const targets = await tx.query(nextTargetsSql, [batch.id, Math.min(want - created, RELEASE_CHUNK - handled)]);
    if (targets.length === 0) break;
    const ids = targets.flatMap((t) => (t.deviceId === null ? [] : [t.deviceId]));
    const { devices, busy } = await lockInstallTargets(tx, software.id, { ids });
    const present = new Map(devices.map((d) => [d.id, d]));
    const busyJob = new Map(busy.map((b) => [b.deviceId, b.jobId]));
    const go = devices.filter((d) => !busyJob.has(d.id));
    const jobs = await createInstallJobs(tx, software, go, opts);
    const jobOf = new Map(jobs.map((j) => [j.deviceId, j.id]));
    const reasonOf = (t: (typeof targets)[number]): string | null => {
      if (t.deviceId === null || !present.has(t.deviceId)) return "the device was removed";
      const other = busyJob.get(t.deviceId);
      return other !== undefined ? `the device already had an unfinished job for ${software.name} (job ${other})` : null;
    };
    await tx.query(markTargetsSql, [
      batch.id,
      opts.now,
      targets.map((t) => t.position),
      targets.map((t) => (t.deviceId === null ? null : (jobOf.get(t.deviceId) ?? null))),
      targets.map(reasonOf),
    ]);
    created += jobs.length;
    handled += targets.length;
  }
  return { created, handled };
}

type Step = { released: number; created: number; paused: string | null; more: boolean; needsLink?: boolean };

/** One transaction of one batch's release: the failure rule first, then what is due, at most RELEASE_CHUNK targets. */
async function releaseStep(batchId: number, now: Date, link: LinkContext | null): Promise<Step> {
  return sql().transaction(async (tx): Promise<Step> => {
    const none: Step = { released: 0, created: 0, paused: null, more: false };
    const batch = await lockRollout(tx, batchId);
    if (!batch || batch.pausedAt || batch.nextReleaseAt === null) return none;
    // Before releasing, under the same lock: no job goes out once the rate has passed.
    const reason = failurePause(failureRuleOf(batch), failureCounts(await tx.query(batchStatusCountsSql, [batchId])), { failed: batch.failedAtResume, finished: batch.finishedAtResume });
    if (reason) {
      const [paused] = await tx.query(pauseSql, [batchId, now, null, reason]);
      return { ...none, paused: paused ? reason : null };
    }
    const plan = releasePlanOf(batch);
    const remaining = batch.targetCount - batch.releasedCount;
    const { due, anchor } = releaseDue(plan, batch.lastSlotAt, now);
    const want = Math.min(due, remaining, RELEASE_CHUNK);
    if (want === 0) {
      const next = remaining > 0 ? planRelease(plan, { targets: batch.targetCount, released: batch.releasedCount, lastSlotAt: batch.lastSlotAt, paused: false }, now).nextDueAt : null;
      if (next?.getTime() !== batch.nextReleaseAt.getTime()) await tx.query(setNextReleaseSql, [batchId, next]);
      return none;
    }
    if (!link) return { ...none, more: true, needsLink: true };
    const software = await readInstallSoftware(tx, batch.softwareId);
    const why = software ? notInstallable(software) : "the software is gone";
    if (!software || why) {
      const [{ n } = { n: 0 }] = await tx.query(skipRestSql, [batchId, now, why]);
      return { ...none, released: n };
    }
    const opts: InstallOptions = { method: batch.method, fallbackMethod: batch.fallbackMethod, batchId, now, link };
    const { created, handled } = await releaseTargets(tx, batch, software, want, opts);
    const after = releaseAfter(plan, anchor, created, remaining - handled, now);
    await tx.query(recordReleaseSql, [batchId, handled, created, after.lastSlotAt, after.nextDueAt]);
    return { released: handled, created, paused: null, more: handled > 0 && after.nextDueAt !== null && after.nextDueAt <= now };
  });
}

/** Everything due for one batch at `now` (steps of one transaction each), or its pause; what was done. */
export async function advanceRollout(batchId: number, now: Date, opts: { origin?: string | null; deadline?: number } = {}): Promise<{ released: number; created: number; paused: string | null }> {
  let link: LinkContext | null = null;
  let released = 0;
  let created = 0;
  for (;;) {
    const step = await releaseStep(batchId, now, link);
    released += step.released;
    created += step.created;
    if (step.paused) {
      await recordAudit(SYSTEM_ACTOR, "batch.auto_pause", { type: "batch", id: batchId }, { reason: step.paused });
      return { released, created, paused: step.paused };
    }
    if (step.needsLink) {
      // Read outside the transaction: the secret may be a query of its own.
      link = await linkContext(opts.origin ?? (await originOf(batchId)), now);
      continue;
    }
    if (!step.more || (opts.deadline !== undefined && Date.now() > opts.deadline)) return { released, created, paused: null };
  }
}

const originSql = statement<{ origin: string | null }>("rollout_origin", `SELECT link_origin AS origin FROM install_batches WHERE id = $1::int`);
async function originOf(batchId: number): Promise<string> {
  return (await sql().query(originSql, [batchId]))[0]?.origin ?? "http://localhost";
}

const activeRolloutsSql = statement<{ id: number; origin: string | null }>(
  "rollout_active",
  // The partial index of batches still releasing: due ones, and those with a failure rule to watch.
  `SELECT id, link_origin AS origin FROM install_batches
    WHERE next_release_at IS NOT NULL AND (next_release_at <= $1::timestamptz OR failure_threshold_percent IS NOT NULL)
    ORDER BY next_release_at, id LIMIT $2::int`,
);

/** The housekeeping sweep: every gradual install that is due gets its release, every one with a failure rule its check. */
export async function releaseRollouts(now: Date, budget: Budget): Promise<SweepResult> {
  const active = await sql().query(activeRolloutsSql, [now, budget.batchSize]);
  let changed = 0;
  for (const { id, origin } of active) {
    if (Date.now() > budget.deadline) return { name: "rollout releases", changed, more: true };
    const done = await advanceRollout(id, now, { origin, deadline: budget.deadline });
    changed += done.released + (done.paused ? 1 : 0);
  }
  return { name: "rollout releases", changed, more: active.length === budget.batchSize };
}

async function lockForAction(tx: Sql, batchId: number): Promise<LockedBatch> {
  const [batch] = await tx.query(lockBatchSql, [batchId]);
  if (!batch) throw new AppError("NOT_FOUND", `There is no installation ${batchId}.`);
  if (batch.perHour === null || batch.targetCount === null) throw new AppError("CONFLICT", `Installation ${batchId} was released all at once: there is no release to pause or resume.`);
  return batch as LockedBatch;
}

function checkId(batchId: number): void {
  if (!Number.isSafeInteger(batchId) || batchId <= 0 || batchId > 2 ** 31 - 1) throw new AppError("NOT_FOUND", `There is no installation ${batchId}.`);
}

/** An Admin or Superuser holds a gradual install: no job is released until it is resumed. */
export async function pauseBatchAs(actor: Actor, batchId: number, now = new Date()): Promise<void> {
  assertCan(actor, { job: ["write"] });
  checkId(batchId);
  const reason = "paused by hand";
  const released = await sql().transaction(async (tx) => {
    const batch = await lockForAction(tx, batchId);
    if (batch.pausedAt) throw new AppError("CONFLICT", `Installation ${batchId} is paused already.`);
    if (batch.releasedCount >= batch.targetCount) throw new AppError("CONFLICT", `Every device of installation ${batchId} has been released: there is nothing left to pause.`);
    await tx.query(pauseSql, [batchId, now, actor.email || null, reason]);
    return batch.releasedCount;
  });
  await recordAudit(actor, "batch.pause", { type: "batch", id: batchId }, { released });
}

/**
 * Releasing goes on where the schedule stands (a short pause releases nothing extra), and the
 * failure rule starts over: it counts only what finishes from now on.
 */
export async function resumeBatchAs(actor: Actor, batchId: number, now = new Date()): Promise<{ released: number }> {
  assertCan(actor, { job: ["write"] });
  checkId(batchId);
  const was = await sql().transaction(async (tx) => {
    const batch = await lockForAction(tx, batchId);
    if (!batch.pausedAt) throw new AppError("CONFLICT", `Installation ${batchId} is not paused.`);
    const counts = failureCounts(await tx.query(batchStatusCountsSql, [batchId]));
    const left = batch.releasedCount < batch.targetCount;
    await tx.query(resumeSql, [batchId, left ? now : null, counts.failed, counts.finished]);
    return { reason: batch.pauseReason, origin: batch.linkOrigin };
  });
  await recordAudit(actor, "batch.resume", { type: "batch", id: batchId }, { pausedFor: was.reason });
  const done = await advanceRollout(batchId, now, { origin: was.origin });
  return { released: done.released };
}

/** The Installation status view of one install batch: counts per status, its jobs, and how far a gradual release has got. */
import { db } from "@/lib/db/client";
import { failureCounts, failureRuleOf, formatClock, planRelease, releasePlanOf, type RolloutState } from "./rollout-plan";
import { compareJobsByPriority, statusPriority, type InstallMethod, type JobStatus } from "./status-model";

export type RolloutView = {
  perHour: number;
  /** UTC, "22:00"; null: any time of day. */
  window: { from: string; to: string } | null;
  failureThresholdPercent: number | null;
  minFinished: number | null;
  targets: number;
  released: number;
  skipped: number;
  state: RolloutState;
  /** When the next job is due (now, when the sweep has yet to run); null once paused or fully released. */
  nextReleaseAt: string | null;
  pausedAt: string | null;
  pausedBy: string | null;
  pauseReason: string | null;
  /** Over every released job not cancelled. */
  failed: number;
  finished: number;
  /** The first skipped targets, with why. */
  skippedTargets: { position: number; deviceUuid: string; deviceName: string | null; reason: string }[];
};

export const SKIPPED_SHOWN = 50;

export type BatchView = {
  id: number;
  softwareId: number;
  softwareName: string;
  method: InstallMethod;
  fallbackMethod: InstallMethod | null;
  jobCount: number;
  createdBy: string | null;
  createdAt: string;
  counts: { status: JobStatus; count: number }[];
  jobs: { id: number; deviceUuid: string; deviceName: string; status: JobStatus; attempts: number; updatedAt: string; cancelled: boolean }[];
  jobIds: number[];
  /** Released gradually; null when every job was created at once. */
  rollout: RolloutView | null;
};

export const BATCH_ROWS_SHOWN = 500;

export async function getBatch(id: number, now = new Date()): Promise<BatchView | null> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2 ** 31 - 1) return null;
  const batch = await db().installBatch.findUnique({ where: { id }, include: { software: { select: { name: true, version: true } } } });
  if (!batch) return null;
  const [grouped, jobs] = await Promise.all([
    // The (batch_id, status) index answers this without reading the jobs.
    db().installationJob.groupBy({ by: ["status"], where: { batchId: id }, _count: { _all: true } }),
    db().installationJob.findMany({
      where: { batchId: id },
      orderBy: { id: "asc" },
      take: BATCH_ROWS_SHOWN,
      select: { id: true, status: true, attempts: true, updatedAt: true, cancelledAt: true, device: { select: { deviceUuid: true, name: true } } },
    }),
  ]);
  return {
    id: batch.id,
    softwareId: batch.softwareId,
    softwareName: `${batch.software.name} ${batch.software.version}`,
    method: batch.method,
    fallbackMethod: batch.fallbackMethod,
    jobCount: batch.jobCount,
    createdBy: batch.createdBy,
    createdAt: batch.createdAt.toISOString(),
    counts: grouped.map((g) => ({ status: g.status, count: g._count._all })).sort((a, b) => statusPriority(a.status) - statusPriority(b.status)),
    jobs: jobs
      .map((j) => ({ id: j.id, status: j.status, attempts: j.attempts, updatedAt: j.updatedAt.toISOString(), cancelled: j.cancelledAt !== null, deviceUuid: j.device.deviceUuid, deviceName: j.device.name }))
      .sort((a, b) => compareJobsByPriority({ status: a.status, updatedAt: new Date(a.updatedAt) }, { status: b.status, updatedAt: new Date(b.updatedAt) })),
    jobIds: jobs.map((j) => j.id),
    rollout: batch.perHour !== null && batch.targetCount !== null ? await rolloutView({ ...batch, perHour: batch.perHour, targetCount: batch.targetCount }, now) : null,
  };
}

type RolloutRow = {
  id: number;
  perHour: number;
  windowStartMinute: number | null;
  windowEndMinute: number | null;
  failureThresholdPercent: number | null;
  minFinished: number | null;
  targetCount: number;
  releasedCount: number;
  lastSlotAt: Date | null;
  pausedAt: Date | null;
  pausedBy: string | null;
  pauseReason: string | null;
};

async function rolloutView(batch: RolloutRow, now: Date): Promise<RolloutView> {
  const [active, skippedCount, skipped] = await Promise.all([
    db().installationJob.groupBy({ by: ["status"], where: { batchId: batch.id, cancelledAt: null }, _count: { _all: true } }),
    db().installBatchTarget.count({ where: { batchId: batch.id, skippedReason: { not: null } } }),
    db().installBatchTarget.findMany({
      where: { batchId: batch.id, skippedReason: { not: null } },
      orderBy: { position: "asc" },
      take: SKIPPED_SHOWN,
      select: { position: true, deviceUuid: true, skippedReason: true, device: { select: { name: true } } },
    }),
  ]);
  const plan = releasePlanOf(batch);
  const decision = planRelease(plan, { targets: batch.targetCount, released: batch.releasedCount, lastSlotAt: batch.lastSlotAt, paused: batch.pausedAt !== null }, now);
  const rule = failureRuleOf(batch);
  const counts = failureCounts(active.map((g) => ({ status: g.status, count: g._count._all })));
  return {
    perHour: batch.perHour,
    window: plan.window ? { from: formatClock(plan.window.startMinute), to: formatClock(plan.window.endMinute) } : null,
    failureThresholdPercent: rule?.thresholdPercent ?? null,
    minFinished: rule?.minFinished ?? null,
    targets: batch.targetCount,
    released: batch.releasedCount,
    skipped: skippedCount,
    state: decision.state,
    // Due now: the minute's sweep has not run yet.
    nextReleaseAt: (decision.count > 0 ? now : decision.nextDueAt)?.toISOString() ?? null,
    pausedAt: batch.pausedAt?.toISOString() ?? null,
    pausedBy: batch.pausedBy,
    pauseReason: batch.pauseReason,
    failed: counts.failed,
    finished: counts.finished,
    skippedTargets: skipped.map((t) => ({ position: t.position, deviceUuid: t.deviceUuid, deviceName: t.device?.name ?? null, reason: t.skippedReason! })),
  };
}

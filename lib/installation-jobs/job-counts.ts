/**
 * The devices list's per-device job counters (devices.installing_count, installed_count,
 * attention_count). The job writer keeps them: every change it writes carries the counter
 * deltas of the jobs it moves, computed here, purely, from the jobs' states before and after,
 * and applied in the same statement as the job change. `recountDeviceJobCounts` recomputes
 * them from the jobs (maintenance, and the bulk seed).
 */
import { sql, statement } from "@/lib/db/sql";
import { JOB_COUNT_BUCKETS, JOB_STATUSES, jobCountBucket, type JobCountBucket, type JobState, type JobStatus } from "./status-model";

export type JobCounts = { [B in JobCountBucket]: number };
export type DeviceCountDelta = { deviceId: number } & JobCounts;

/** The column of each counter, declared once: the writer's statements are generated from it. */
export const COUNT_COLUMNS: { [B in JobCountBucket]: string } = {
  installing: "installing_count",
  installed: "installed_count",
  attention: "attention_count",
};

type Counted = Pick<JobState, "status" | "cancelledAt">;
/** One job's move: before null is a new job, after null a removed one. */
export type JobMove = { deviceId: number; before: Counted | null; after: Counted | null };

export function zeroCounts(): JobCounts {
  return { installing: 0, installed: 0, attention: 0 };
}

/** The counts one job contributes: 1 in its bucket, or nothing. */
export function countsOf(job: Counted | null): JobCounts {
  const counts = zeroCounts();
  const bucket = job && jobCountBucket(job);
  if (bucket) counts[bucket] = 1;
  return counts;
}

/**
 * Pure: what a set of job moves does to each device's counters. One entry per device with a
 * non-zero delta, in device id order (the order writers lock devices in); a move inside one
 * bucket (Waiting for download → Installing software) changes nothing, and most reports are such.
 */
export function countDeltas(moves: JobMove[]): DeviceCountDelta[] {
  const byDevice = new Map<number, JobCounts>();
  for (const m of moves) {
    const before = countsOf(m.before);
    const after = countsOf(m.after);
    const delta = byDevice.get(m.deviceId) ?? zeroCounts();
    for (const b of JOB_COUNT_BUCKETS) delta[b] += after[b] - before[b];
    byDevice.set(m.deviceId, delta);
  }
  return [...byDevice.entries()]
    .filter(([, d]) => JOB_COUNT_BUCKETS.some((b) => d[b] !== 0))
    .sort(([a], [b]) => a - b)
    .map(([deviceId, d]) => ({ deviceId, ...d }));
}

/** Statuses per bucket, for SQL that counts as jobCountBucket does (cancelled jobs aside). */
export const STATUSES_BY_BUCKET: { [B in JobCountBucket]: JobStatus[] } = {
  installing: JOB_STATUSES.filter((s) => jobCountBucket({ status: s, cancelledAt: null }) === "installing"),
  installed: JOB_STATUSES.filter((s) => jobCountBucket({ status: s, cancelledAt: null }) === "installed"),
  attention: JOB_STATUSES.filter((s) => jobCountBucket({ status: s, cancelledAt: null }) === "attention"),
};

// ---------------------------------------------------------------------------------------------
// Recount: maintenance (a counter found wrong, a bulk load), a chunk of devices per transaction.

const lockChunkSql = statement<{ id: number }>(
  "job_counts_lock_chunk",
  // The device rows first, as every job writer takes them: while they are locked no writer can
  // move these devices' jobs, so the count read next (a fresh snapshot) stays true until COMMIT.
  `SELECT id FROM devices WHERE id > $1::int AND id <= $2::int ORDER BY id LIMIT $3::int FOR UPDATE`,
);

const recountSql = statement<{ id: number }>(
  "job_counts_recount",
  `WITH counted AS (
     SELECT d.id,
            ${JOB_COUNT_BUCKETS.map((b, i) => `count(j.id) FILTER (WHERE j.cancelled_at IS NULL AND j.status = ANY($${i + 2}::job_status[]))::int AS ${b}`).join(",\n            ")}
       FROM devices d LEFT JOIN installation_jobs j ON j.device_id = d.id
      WHERE d.id = ANY($1::int[])
      GROUP BY d.id
   )
   UPDATE devices d
      SET ${JOB_COUNT_BUCKETS.map((b) => `${COUNT_COLUMNS[b]} = c.${b}`).join(", ")}
     FROM counted c
    WHERE d.id = c.id
      AND (${JOB_COUNT_BUCKETS.map((b) => `d.${COUNT_COLUMNS[b]}`).join(", ")}) IS DISTINCT FROM (${JOB_COUNT_BUCKETS.map((b) => `c.${b}`).join(", ")})
   RETURNING d.id`,
);

export type RecountResult = { devices: number; corrected: number };

/**
 * Recomputes the counters of every device (or of ids in (afterId, upToId]) from its jobs; returns
 * how many devices it read and how many it had to correct. Safe while devices report: each chunk
 * locks its devices first.
 */
export async function recountDeviceJobCounts(
  opts: { chunk?: number; afterId?: number; upToId?: number; onChunk?: (r: RecountResult & { lastId: number }) => void } = {},
): Promise<RecountResult> {
  const chunk = opts.chunk ?? 5000;
  const total: RecountResult = { devices: 0, corrected: 0 };
  let after = opts.afterId ?? 0;
  const upTo = opts.upToId ?? 2_147_483_647;
  for (;;) {
    const done = await sql().transaction(async (tx) => {
      const ids = (await tx.query(lockChunkSql, [after, upTo, chunk])).map((r) => r.id);
      if (ids.length === 0) return true;
      const corrected = await tx.query(recountSql, [ids, ...JOB_COUNT_BUCKETS.map((b) => STATUSES_BY_BUCKET[b])]);
      total.devices += ids.length;
      total.corrected += corrected.length;
      after = ids[ids.length - 1]!;
      return ids.length < chunk;
    });
    opts.onChunk?.({ ...total, lastId: after });
    if (done) return total;
  }
}

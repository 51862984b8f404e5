/**
 * The one writer of installation jobs. Every change to a job — creation, device reports,
 * verification, and later bootstrap, cancel, retry and timeouts — comes through here: it applies
 * the pure status model to the job and writes the job row and its log row together, in one
 * statement, inside the caller's transaction. Nothing else in the code base inserts or updates
 * `installation_jobs`, and nothing else inserts into `installation_log`. The same statement
 * moves the device's job counters (job-counts.ts), so they can never disagree with the jobs.
 *
 * Callers lock the jobs they change first (the lock* reads below, FOR UPDATE), so the
 * transition computed from what was read is the one written; the update is still conditional
 * on the status read (`WHERE status = before`), so a logic error cannot silently overwrite.
 *
 * Each of the two writing statements also announces itself (`pg_notify` on deploydesk_changes,
 * lib/live/change-event.ts): one notice per statement, whatever its batch size, carrying the
 * log ids, devices and jobs it wrote. Being part of the statement, it reaches listeners at
 * commit, in commit order, and never for a write that rolls back; the console's live views
 * (lib/live/change-bus.ts) hear of every change without polling.
 */
import { sql, statement, type Sql } from "@/lib/db/sql";
import { changeNoticeSql } from "@/lib/live/change-event";
import { logEntryForEvent, type LogEntry } from "@/lib/installation-log/entries";
import { formatDeviceTime } from "@/lib/device-protocol/formats";
import type { ReportParameter } from "@/lib/device-protocol/status-report";
import { COUNT_COLUMNS, countDeltas, countsOf, type DeviceCountDelta } from "./job-counts";
import {
  applyJobEvent,
  initialStatus,
  JOB_COUNT_BUCKETS,
  type InstallMethod,
  type JobContext,
  type JobCountBucket,
  type JobEvent,
  type JobState,
  type JobStatus,
  type SoftwareKind,
  type Transition,
} from "./status-model";

/** A job as the writer reads it: its state plus the software facts the model needs. */
export type StoredJob = JobState & { id: number; deviceId: number; softwareId: number; packageId: string; softwareKind: SoftwareKind; softwareVersion: string };

export function jobContextOf(job: Pick<StoredJob, "softwareKind" | "softwareVersion">, deviceClientVersion: string | null): JobContext {
  return { softwareKind: job.softwareKind, softwareVersion: job.softwareVersion, deviceClientVersion };
}

// ---------------------------------------------------------------------------------------------
// The column list of a job, declared once. The mapped type makes a JobState field without a
// column a compile error; reads, the insert and the update are all generated from it.

const JOB_COLUMNS: { [K in keyof JobState]: { column: string; type: string } } = {
  status: { column: "status", type: "job_status" },
  method: { column: "method", type: "install_method" },
  fallbackMethod: { column: "fallback_method", type: "install_method" },
  fallbackReason: { column: "fallback_reason", type: "text" },
  fallbackAt: { column: "fallback_at", type: "timestamptz" },
  reportKey: { column: "report_key", type: "text" },
  lastMessageId: { column: "last_message_id", type: "text" },
  lastReturnCode: { column: "last_return_code", type: "text" },
  completedAt: { column: "completed_at", type: "timestamptz" },
  executedAt: { column: "executed_at", type: "timestamptz" },
  cancelledAt: { column: "cancelled_at", type: "timestamptz" },
  attempts: { column: "attempts", type: "int" },
  retriedAt: { column: "retried_at", type: "timestamptz" },
  handedOverAt: { column: "handed_over_at", type: "timestamptz" },
};
const FIELDS = Object.keys(JOB_COLUMNS) as (keyof JobState)[];

/** The columns every writer reads a job with; `FROM installation_jobs j JOIN software s` included. */
export const JOB_SELECT = `j.id, j.device_id AS "deviceId", j.software_id AS "softwareId", s.package_id AS "packageId", s.kind AS "softwareKind", s.version AS "softwareVersion",
       ${FIELDS.map((f) => `j.${JOB_COLUMNS[f].column} AS "${f}"`).join(", ")}
  FROM installation_jobs j JOIN software s ON s.id = j.software_id`;

function stateValues(state: JobState): unknown[] {
  return FIELDS.map((f) => state[f]);
}

// ---------------------------------------------------------------------------------------------
// The log row, declared once like the job's columns.

const LOG_FIELDS = [
  ["job_id", "int"],
  ["device_id", "int"],
  ["message_row_id", "bigint"],
  ["received_at", "timestamptz"],
  ["device_timestamp", "text"],
  ["device_time", "timestamp"],
  ["package_id", "text"],
  ["software_id", "int"],
  ["message_id", "text"],
  ["code", "text"],
  ["data", "jsonb"],
  ["parameters", "jsonb"],
  ["status_before", "job_status"],
  ["status_after", "job_status"],
  ["dedup_key", "text"],
] as const;
const LOG_COLUMNS = LOG_FIELDS.map(([c]) => c).join(", ");
const PACKAGE_AT = LOG_FIELDS.findIndex(([c]) => c === "package_id");
/**
 * The multi-row insert's values, from `unnest(...) AS v`: a row without a job's software gets
 * the library entry its package names (a report about no job, a refused request), as the
 * device's package ids are matched everywhere (trimmed, upper-case); a row whose job is known
 * was given the job's software already.
 */
const LOG_FROM_UNNEST = LOG_FIELDS.map(([c]) =>
  c === "software_id" ? `COALESCE(v.software_id, (SELECT s.id FROM software s WHERE v.job_id IS NULL AND s.package_id = upper(btrim(v.package_id))))` : `v.${c}`,
).join(", ");
/** `$1::int, $2::int, …`: the log row's placeholders, first in every statement below. */
const LOG_VALUES = LOG_FIELDS.map(([, type], i) => `$${i + 1}::${type}`).join(", ");
const N = LOG_FIELDS.length;
/** The i-th (1-based) placeholder after the log row's. */
const p = (i: number) => `$${N + i}`;

/** `installing_count = d.installing_count + <delta>, …` (devices aliased d), each delta from `delta`. */
function addCounts(delta: (bucket: JobCountBucket, i: number) => string): string {
  return JOB_COUNT_BUCKETS.map((b, i) => `${COUNT_COLUMNS[b]} = d.${COUNT_COLUMNS[b]} + ${delta(b, i)}`).join(", ");
}

/** Facts of the log row besides its code and data. Device reports fill the report part. */
export type LogFacts = {
  deviceId: number;
  now: Date;
  messageRowId?: string | null;
  report?: {
    packageId: string;
    messageId: string;
    /** The timestamp attribute as sent, and parsed. */
    deviceTimestamp: string | null;
    deviceTime: Date | null;
    parameters: ReportParameter[];
    /** Identity of the report: a retried report hits the unique key and changes nothing. */
    dedupKey: string;
  };
};

/**
 * A row's job: its id (null for a job being created or removed: the statement supplies it, or
 * the row outlives it) and its software, which the row keeps after the job is removed.
 */
type LogJob = { id: number | null; softwareId: number } | null;

function logValues(job: LogJob, facts: LogFacts, entry: LogEntry, before: JobStatus | null, after: JobStatus | null): unknown[] {
  const r = facts.report;
  return [
    job?.id ?? null,
    facts.deviceId,
    facts.messageRowId ?? null,
    facts.now,
    r?.deviceTimestamp ?? null,
    // A wall time in UTC fields: as text, or pg would shift it into the server's time zone.
    r?.deviceTime ? formatDeviceTime(r.deviceTime) : null,
    // A refused request is about the package it named, like a report.
    r?.packageId ?? (entry.code === "PACKAGE_REFUSED" ? entry.data.packageId : null),
    job?.softwareId ?? null,
    r?.messageId ?? null,
    entry.code,
    JSON.stringify(entry.data),
    JSON.stringify(r?.parameters ?? []),
    before,
    after,
    r?.dedupKey ?? null,
  ];
}

/**
 * Writes any number of changes in one statement: their log rows (one multi-row insert) and the
 * jobs they change (one multi-row conditional update), and announces them (notice). A single
 * event is a batch of one, so the batched status-report path and every other writer run the same SQL.
 */
const writeChangesSql = statement<{ logged: number; updated: number; counted: number; notified: number }>(
  "job_writer_write_changes",
  `WITH log AS (
     INSERT INTO installation_log (${LOG_COLUMNS})
     SELECT ${LOG_FROM_UNNEST} FROM unnest(${LOG_FIELDS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")}) AS v(${LOG_COLUMNS})
     ON CONFLICT (dedup_key) DO NOTHING
     RETURNING id, device_id, job_id
   ), notice AS (
     ${changeNoticeSql("log")}
   ), job AS (
     UPDATE installation_jobs j
        SET ${FIELDS.map((f) => `${JOB_COLUMNS[f].column} = v.${JOB_COLUMNS[f].column}`).join(",\n            ")},
            updated_at = v.updated_at
       FROM unnest($${N + 1}::int[], $${N + 2}::job_status[], $${N + 3}::timestamptz[],
                   ${FIELDS.map((f, i) => `${p(i + 4)}::${JOB_COLUMNS[f].type}[]`).join(", ")})
            AS v(id, before, updated_at, ${FIELDS.map((f) => JOB_COLUMNS[f].column).join(", ")})
      WHERE j.id = v.id AND j.status = v.before
     RETURNING j.id
   ), counts AS (
     -- Only once every job moved as planned (reading job's rows also makes it run first): a
     -- change planned from a status the job is no longer in moves no counter either.
     UPDATE devices d
        SET ${addCounts((b) => `v.${b}`)}
       FROM unnest(${[0, 1, 2, 3].map((i) => `${p(FIELDS.length + 4 + i)}::int[]`).join(", ")}) AS v(device_id, ${JOB_COUNT_BUCKETS.join(", ")})
      WHERE d.id = v.device_id AND (SELECT count(*) FROM job) = cardinality(${p(1)}::int[])
     RETURNING d.id
   )
   -- notice is read so that it runs: a CTE without data-modifying statements runs only when used.
   SELECT (SELECT count(*) FROM log)::int AS logged, (SELECT count(*) FROM job)::int AS updated,
          (SELECT count(*) FROM counts)::int AS counted, (SELECT count(*) FROM notice)::int AS notified`,
);

/** Device ids, then one array per bucket: the counts CTE's unnest columns. */
function deltaColumns(deltas: DeviceCountDelta[]): number[][] {
  return [deltas.map((d) => d.deviceId), ...JOB_COUNT_BUCKETS.map((b) => deltas.map((d) => d[b]))];
}

/** One event on one job, decided: its transition, its log row, and whether the job row changes. */
export type Change = { job: StoredJob; transition: Transition; log: unknown[] };

/** Pure: the status model's answer to an event, and the rows it will write. */
export function planEvent(job: StoredJob, deviceClientVersion: string | null, event: JobEvent, facts: LogFacts): Change {
  const ctx = jobContextOf(job, deviceClientVersion);
  const transition = applyJobEvent(job, ctx, event, facts.now);
  const entry = logEntryForEvent(event, transition, ctx);
  return { job, transition, log: logValues(job, facts, entry, job.status, transition.next.status) };
}

/** Log rows without a job change (a report about a package the device has no job for, …). */
export type LogOnly = { log: unknown[] };

/**
 * Writes planned changes and log-only rows. Every row must be new (callers check report
 * identities first, under the device lock): a row the log already holds, or a job that is not
 * in the status its change was planned from, is a logic error and aborts the transaction.
 */
export async function writeChanges(tx: Sql, changes: Change[], logOnly: LogOnly[] = []): Promise<void> {
  const rows = [...changes.map((c) => c.log), ...logOnly.map((l) => l.log)];
  if (rows.length === 0) return;
  const updates = changes.filter((c) => c.transition.changed);
  // Several changes of one job in a batch: the last one holds its final state; the first, the status it is in now.
  const byJob = new Map<number, { first: Change; last: Change }>();
  for (const c of updates) byJob.set(c.job.id, { first: byJob.get(c.job.id)?.first ?? c, last: c });
  const jobs = [...byJob.values()];
  const deltas = countDeltas(jobs.map(({ first, last }) => ({ deviceId: first.job.deviceId, before: first.job, after: last.transition.next })));
  const columns = LOG_FIELDS.map((_, i) => rows.map((r) => r[i]));
  const [result] = await tx.query(writeChangesSql, [
    ...columns,
    jobs.map((j) => j.first.job.id),
    jobs.map((j) => j.first.job.status),
    jobs.map((j) => j.last.log[3]),
    ...FIELDS.map((f) => jobs.map((j) => j.last.transition.next[f])),
    ...deltaColumns(deltas),
  ]);
  if (result!.logged !== rows.length) throw new Error(`installation log: ${rows.length - result!.logged} of ${rows.length} rows were already there`);
  if (result!.updated !== jobs.length) throw new Error(`installation jobs: ${jobs.length - result!.updated} of ${jobs.length} changed under their row locks`);
  if (result!.counted !== deltas.length) throw new Error(`job counters: ${deltas.length - result!.counted} of ${deltas.length} devices are gone`);
  for (const { first, last } of jobs) {
    const before = first.job;
    const next = last.transition.next;
    const pollListMayChange = (next.fallbackMethod !== before.fallbackMethod && touchesPollList(next.fallbackMethod)) || next.cancelledAt !== before.cancelledAt;
    if (pollListMayChange) await refreshApplicablePackages(tx, before.deviceId);
  }
}

const createJobSql = statement<{ id: number }>(
  "job_writer_create",
  // $1 (the log row's job_id) is null here: the new job's id replaces it.
  `WITH job AS (
     INSERT INTO installation_jobs (device_id, software_id, created_at, updated_at, ${FIELDS.map((f) => JOB_COLUMNS[f].column).join(", ")}, batch_id, fallback_plan)
     VALUES ($2::int, ${p(1)}::int, $4::timestamptz, $4::timestamptz, ${FIELDS.map((f, i) => `${p(i + 2)}::${JOB_COLUMNS[f].type}`).join(", ")},
             ${p(FIELDS.length + 2 + JOB_COUNT_BUCKETS.length)}::int, ${p(FIELDS.length + 3 + JOB_COUNT_BUCKETS.length)}::install_method)
     RETURNING id
   ), log AS (
     INSERT INTO installation_log (${LOG_COLUMNS})
     SELECT COALESCE(${LOG_VALUES.split(", ")[0]}, job.id), ${LOG_VALUES.split(", ").slice(1).join(", ")} FROM job
     RETURNING id, device_id, job_id
   ), notice AS (
     ${changeNoticeSql("log")}
   ), counts AS (
     UPDATE devices d SET ${addCounts((_, i) => `${p(FIELDS.length + 2 + i)}::int`)} FROM job WHERE d.id = $2::int
   )
   SELECT id, (SELECT count(*) FROM notice)::int AS notified FROM job`,
);

const deviceForJobSql = statement<{ bootstrapped: boolean }>(
  "job_writer_device_for_job",
  // The device row lock serializes job creation with the device's reports.
  `SELECT oma_dm_bootstrapped AS bootstrapped FROM devices WHERE id = $1::int FOR UPDATE`,
);

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// The device's poll list. Mark-for-Installation jobs (and OMA DM jobs that fell back to it)
// hand their package over at the next poll: the newest job per software, unless the software is
// withdrawn. Kept on the device row so a poll reads one row and no job table; recomputed here,
// with every job change that can alter it.

const refreshApplicablePackagesSql = statement<{ changed: boolean }>(
  "job_writer_refresh_applicable_packages",
  `WITH wanted AS (
     SELECT COALESCE(array_agg(s.package_id ORDER BY s.package_id), '{}') AS ids
       FROM installation_jobs j JOIN software s ON s.id = j.software_id
      WHERE j.id IN (SELECT max(id) FROM installation_jobs WHERE device_id = $1::int GROUP BY software_id)
        AND s.withdrawn_at IS NULL AND j.cancelled_at IS NULL
        AND (j.method = 'MARK_FOR_INSTALLATION' OR j.fallback_method = 'MARK_FOR_INSTALLATION')
   )
   UPDATE devices d SET applicable_packages = wanted.ids
     FROM wanted
    WHERE d.id = $1::int AND d.applicable_packages IS DISTINCT FROM wanted.ids
   RETURNING true AS changed`,
);

/** Recomputes the packages the device's next poll lists; true when the list changed. */
export async function refreshApplicablePackages(tx: Sql, deviceId: number): Promise<boolean> {
  return (await tx.query(refreshApplicablePackagesSql, [deviceId])).length > 0;
}

function touchesPollList(method: InstallMethod | null): boolean {
  return method === "MARK_FOR_INSTALLATION";
}

const removeFromPollListsSql = statement<{ id: number }>(
  "job_writer_remove_from_poll_lists",
  // Device rows locked in id order, as every other writer takes them, a chunk at a time: a
  // package on a million devices must not hold a million row locks (and stall their polls).
  `WITH chunk AS (
     SELECT id FROM devices WHERE $1::text = ANY(applicable_packages) ORDER BY id LIMIT $2::int FOR UPDATE
   )
   UPDATE devices d SET applicable_packages = array_remove(d.applicable_packages, $1::text) FROM chunk WHERE d.id = chunk.id
   RETURNING d.id`,
);

/**
 * A withdrawn package leaves every device's poll list, a chunk of devices per transaction;
 * returns how many devices had it. Callers mark the software withdrawn first (committed), so
 * no new job adds it back meanwhile.
 */
export async function removeFromPollLists(packageId: string, chunk = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = (await sql().transaction((tx) => tx.query(removeFromPollListsSql, [packageId, chunk]))).length;
    total += n;
    if (n < chunk) return total;
  }
}

export type CreateJobInput = {
  deviceId: number;
  softwareId: number;
  method: InstallMethod;
  now: Date;
  /** The install wizard's batch, when it made the job. */
  batchId?: number | null;
  /** Use DM jobs: the download-link method to fall back to. */
  fallbackPlan?: InstallMethod | null;
};

/** Creates a job in the status its method implies, with its first log row. */
export async function createJob(tx: Sql, input: CreateJobInput): Promise<{ id: number; status: JobStatus }> {
  const [device] = await tx.query(deviceForJobSql, [input.deviceId]);
  if (!device) throw new Error(`device ${input.deviceId} does not exist`);
  const state: JobState = {
    status: initialStatus(input.method, device.bootstrapped),
    method: input.method,
    fallbackMethod: null,
    fallbackReason: null,
    fallbackAt: null,
    reportKey: null,
    lastMessageId: null,
    lastReturnCode: null,
    completedAt: null,
    executedAt: null,
    cancelledAt: null,
    attempts: 1,
    retriedAt: null,
    handedOverAt: null,
  };
  const entry: LogEntry = { code: "JOB_CREATED", data: { method: input.method } };
  const counts = countsOf(state);
  const [row] = await tx.query(createJobSql, [
    ...logValues({ id: null, softwareId: input.softwareId }, { deviceId: input.deviceId, now: input.now }, entry, null, state.status),
    input.softwareId,
    ...stateValues(state),
    ...JOB_COUNT_BUCKETS.map((b) => counts[b]),
    input.batchId ?? null,
    input.fallbackPlan ?? null,
  ]);
  // A new job is the newest for its software: it may add, or (another method) remove, the package.
  await refreshApplicablePackages(tx, input.deviceId);
  return { id: row!.id, status: state.status };
}

const removeJobSql = statement<{ id: number }>(
  "job_writer_remove",
  // The log row names the job in its data: the job's other log rows lose their job_id (the
  // foreign key sets it null), the device and package stay on them.
  `WITH job AS (
     DELETE FROM installation_jobs WHERE id = ${p(1)}::int AND status = ${p(2)}::job_status RETURNING id
   ), log AS (
     INSERT INTO installation_log (${LOG_COLUMNS}) SELECT ${LOG_VALUES} FROM job
     RETURNING id, device_id, job_id
   ), notice AS (
     ${changeNoticeSql("log")}
   ), counts AS (
     UPDATE devices d SET ${addCounts((_, i) => `${p(3 + i)}::int`)} FROM job WHERE d.id = $2::int
   )
   SELECT id, (SELECT count(*) FROM notice)::int AS notified FROM job`,
);

/** Removes a locked job: its log row, the job row and its device's counters in one statement. */
export async function removeJob(tx: Sql, job: StoredJob, now: Date): Promise<void> {
  const counts = countsOf(job);
  const entry: LogEntry = { code: "JOB_REMOVED", data: { jobId: job.id } };
  const facts: LogFacts = { deviceId: job.deviceId, now };
  const log = logValues({ id: null, softwareId: job.softwareId }, facts, entry, job.status, null);
  log[PACKAGE_AT] = job.packageId; // what the removed job installed
  const removed = await tx.query(removeJobSql, [...log, job.id, job.status, ...JOB_COUNT_BUCKETS.map((b) => -counts[b])]);
  if (removed.length !== 1) throw new Error(`installation job ${job.id} changed under its row lock`);
  await refreshApplicablePackages(tx, job.deviceId);
}

/** Removes one job in a transaction of its own; false when there is no such job. */
export async function removeJobById(jobId: number, now: Date): Promise<boolean> {
  return sql().transaction(async (tx) => {
    const [device] = await tx.query(lockDeviceOfJobSql, [jobId]);
    const job = device ? await lockJob(tx, jobId) : null;
    if (!job) return false;
    await removeJob(tx, job, now);
    return true;
  });
}

export type AppliedEvent = {
  transition: Transition;
  /** The job as it now is. */
  job: StoredJob;
};

/** Applies one event to a locked job: the status model, then the log row and the job row. */
export async function applyEvent(tx: Sql, job: StoredJob, deviceClientVersion: string | null, event: JobEvent, facts: LogFacts): Promise<AppliedEvent> {
  const change = planEvent(job, deviceClientVersion, event, facts);
  await writeChanges(tx, [change]);
  return { transition: change.transition, job: { ...job, ...change.transition.next } };
}

/** A log row that belongs to no job change, for writeChanges. */
export function logOnlyRow(job: LogJob, entry: LogEntry, facts: LogFacts, status: JobStatus | null = null): LogOnly {
  return { log: logValues(job, facts, entry, status, status) };
}

/** Logs what happened to a job without changing it (instructions or a location sent). */
export async function logJobEntry(tx: Sql, job: Pick<StoredJob, "id" | "softwareId" | "status">, entry: LogEntry, facts: LogFacts): Promise<void> {
  await writeChanges(tx, [], [logOnlyRow(job, entry, facts, job.status)]);
}

/** Logs a device event that belongs to no job (a request about a package it has no job for). */
export async function logDeviceEntry(tx: Sql, entry: LogEntry, facts: LogFacts): Promise<void> {
  await writeChanges(tx, [], [logOnlyRow(null, entry, facts)]);
}

// ---------------------------------------------------------------------------------------------
// Locking reads: the jobs a writer is about to change.

const lockJobsWithStatusSql = statement<StoredJob>(
  "job_writer_lock_with_status",
  `SELECT ${JOB_SELECT} WHERE j.device_id = $1::int AND j.status = ANY($2::job_status[]) ORDER BY j.id FOR UPDATE OF j`,
);

/** The device's jobs in one of the given statuses, locked, oldest first. */
export async function lockJobsWithStatus(tx: Sql, deviceId: number, statuses: JobStatus[]): Promise<StoredJob[]> {
  return tx.query(lockJobsWithStatusSql, [deviceId, statuses]);
}

const lockJobSql = statement<StoredJob>("job_writer_lock_one", `SELECT ${JOB_SELECT} WHERE j.id = $1::int FOR UPDATE OF j`);

export type LockedDevice = { clientVersion: string | null; bootstrapped: boolean; phoneNumber: string | null };

const lockDeviceOfJobSql = statement<LockedDevice>(
  "job_writer_lock_device_of_job",
  // Device row first, then the job: the order every report takes, so the two cannot deadlock.
  `SELECT client_version AS "clientVersion", oma_dm_bootstrapped AS bootstrapped, phone_number AS "phoneNumber"
     FROM devices WHERE id = (SELECT device_id FROM installation_jobs WHERE id = $1::int) FOR UPDATE`,
);

/** A job and its device, locked in that order, for a service that changes the job in `tx`. */
export async function lockJobWithDevice(tx: Sql, jobId: number): Promise<{ job: StoredJob; device: LockedDevice } | null> {
  const [device] = await tx.query(lockDeviceOfJobSql, [jobId]);
  const job = device ? await lockJob(tx, jobId) : null;
  return job && device ? { job, device } : null;
}

/** One event on one job, in a transaction of its own (server-side events: downloads served). */
export async function applyEventToJob(jobId: number, event: JobEvent, now: Date): Promise<AppliedEvent | null> {
  return sql().transaction(async (tx) => {
    const [device] = await tx.query(lockDeviceOfJobSql, [jobId]);
    const job = device ? await lockJob(tx, jobId) : null;
    return job ? applyEvent(tx, job, device!.clientVersion, event, { deviceId: job.deviceId, now }) : null;
  });
}

export async function lockJob(tx: Sql, jobId: number): Promise<StoredJob | null> {
  return (await tx.query(lockJobSql, [jobId]))[0] ?? null;
}

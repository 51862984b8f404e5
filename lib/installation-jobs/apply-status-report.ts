/**
 * Where device status reports change jobs. One document = one transaction:
 *   1. store the raw document once per (device, body hash) and update the device row (contact
 *      time, client version). The device row lock serializes all reports of one device, so the
 *      steps below never race each other;
 *   2. lock the newest job per reported package (FOR UPDATE);
 *   3. per StatusMessage: run the pure status model, then insert its log row keyed by the
 *      report's identity and, only if that row was new, write the job with a conditional update
 *      (`where status = before`). A retried report hits the unique key and changes nothing.
 * Late and out-of-order reports are handled by the status model, which never moves a job back.
 *
 * The statements are hand-written SQL, two of them combining writes with CTEs: this is the
 * ingest hot path, and in a throwaway in-process comparison during development one round trip
 * per step gave 1.9x the throughput of the same work through Prisma's query builder. They are
 * exported (`statusReportSql`) so that the benchmark's baseline sends these same statements
 * to PostgreSQL with plain `pg`.
 */
import { createHash } from "node:crypto";
import { db, type Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  messageMeaning,
  parseDeviceTimestamp,
  returnCodeOf,
  type StatusMessage,
  type StatusReport,
} from "@/lib/device-protocol/status-report";
import type { AuthenticatedDevice } from "@/lib/devices/authenticate-device";
import { jobContextOf, withState, type StoredJob } from "./job-state";
import { eventForReport } from "./report-events";
import { applyJobEvent, type JobState, type JobStatus, type TransitionNote } from "./status-model";

const NOTE_TEXT: { [N in TransitionNote]: string } = {
  ALREADY_DELIVERED: "job already finished",
  SUPERSEDED: "a later report already decided the status",
  NOT_WAITING_FOR_BOOTSTRAP: "not waiting for bootstrap",
  OTHER_VERSION: "another version",
};
import { applyClientVersionReport } from "./verify-client-version";

export type StatusReportInput = {
  device: AuthenticatedDevice;
  report: StatusReport;
  rawBody: string;
  headers: Record<string, string>;
  clientVersion: string | null;
  now: Date;
};

export function normalizePackageId(packageId: string): string {
  return packageId.trim().toUpperCase();
}

/** Identity of one report: a device resending it produces the same key. */
export function reportDedupKey(deviceId: number, m: StatusMessage): string {
  const identity = JSON.stringify([deviceId, normalizePackageId(m.packageId), m.messageId, m.timestamp, m.parameters]);
  return createHash("sha256").update(identity).digest("hex");
}

export async function applyStatusReport(input: StatusReportInput): Promise<void> {
  const { device, report, now } = input;
  return db().$transaction(
    async (tx) => {
      const messageRowId = await storeMessageAndTouchDevice(tx, input);
      const clientVersion = input.clientVersion ?? device.clientVersion;
      // Rare (a device reports a new client version), so it may cost a statement of its own. The
      // device row is locked now: only one of two concurrent reports sees the version change.
      if (input.clientVersion && input.clientVersion !== device.clientVersion) {
        const changed = await tx.$executeRaw`
          UPDATE devices SET client_version = ${input.clientVersion}
           WHERE id = ${device.id} AND client_version IS DISTINCT FROM ${input.clientVersion}`;
        if (changed === 1) await applyClientVersionReport(tx, device.id, input.clientVersion, now);
      }

      const jobs = await lockLatestJobs(tx, device.id, report.messages.map((m) => normalizePackageId(m.packageId)));

      for (const message of report.messages) {
        const packageId = normalizePackageId(message.packageId);
        const job = jobs.get(packageId);
        const record = planReport({ deviceId: device.id, messageRowId, now, message, job, clientVersion });
        const { logged, updated } = await recordReport(tx, record);
        // A duplicate (retried report) changed nothing; an ignored report left the job as it was.
        if (!logged || !job || !record.change) continue;
        // The row is locked by this transaction, so the guard can only fail on a logic error.
        if (!updated) throw new Error(`job ${job.id} changed under its row lock`);
        jobs.set(packageId, withState(job, record.change.next));
      }
    },
    // A document may hold many messages and PGlite runs one transaction at a time: allow more
    // than Prisma's 2 s / 5 s defaults before giving up.
    { maxWait: 15_000, timeout: 30_000 },
  );
}

/**
 * Stores the raw document (a retry of the same bytes lands on the same row: DO UPDATE, not DO
 * NOTHING, so the existing id comes back even while another transaction is inserting it) and
 * touches the device row (taking its lock) in the same statement.
 */
async function storeMessageAndTouchDevice(tx: Tx, input: StatusReportInput): Promise<bigint> {
  const rows = await tx.$queryRaw<{ id: bigint }[]>(statusReportSql.storeMessageAndTouchDevice(input));
  return rows[0]!.id;
}

function storeMessageAndTouchDeviceSql(input: Omit<StatusReportInput, "report">): Prisma.Sql {
  const { device, now } = input;
  const bodySha256 = createHash("sha256").update(input.rawBody).digest("hex");
  return Prisma.sql`
    WITH message AS (
      INSERT INTO device_messages (device_id, action, received_at, headers, body, body_sha256)
      VALUES (${device.id}, 'Status', ${now}, ${JSON.stringify(input.headers)}::jsonb, ${input.rawBody}, ${bodySha256})
      ON CONFLICT (device_id, body_sha256) DO UPDATE SET body_sha256 = EXCLUDED.body_sha256
      RETURNING id
    ), touched AS (
      UPDATE devices SET last_contact_at = ${now}, updated_at = ${now}
       WHERE id = ${device.id}
      RETURNING id
    )
    SELECT message.id FROM message, touched`;
}

export type ReportRecord = {
  jobId: number | null;
  deviceId: number;
  messageRowId: bigint;
  now: Date;
  message: StatusMessage;
  deviceTime: Date | null;
  event: string;
  statusBefore: JobStatus | null;
  statusAfter: JobStatus | null;
  /** The job write, when the status model changed something. */
  change: { jobId: number; before: JobStatus; next: JobState; statusChanged: boolean } | null;
};

/** What one StatusMessage does: its log row and, if the status model changed the job, the write. */
export function planReport(args: {
  deviceId: number;
  messageRowId: bigint;
  now: Date;
  message: StatusMessage;
  job: StoredJob | undefined;
  clientVersion: string | null;
}): ReportRecord {
  const { job, message, now } = args;
  const deviceTime = parseDeviceTimestamp(message.timestamp);
  const report = { deviceTime, receivedAt: now, messageId: message.messageId, returnCode: returnCodeOf(message), identity: reportDedupKey(args.deviceId, message) };
  const transition = job ? applyJobEvent(job, jobContextOf(job, args.clientVersion), eventForReport(report), now) : null;
  const meaning = messageMeaning(message.messageId);
  return {
    jobId: job?.id ?? null,
    deviceId: args.deviceId,
    messageRowId: args.messageRowId,
    now,
    message,
    deviceTime,
    event: !job ? `${meaning} (no installation job for this package)` : transition?.note ? `${meaning} (${NOTE_TEXT[transition.note]})` : meaning,
    statusBefore: job?.status ?? null,
    statusAfter: transition?.next.status ?? null,
    change:
      job && transition?.changed ? { jobId: job.id, before: job.status, next: transition.next, statusChanged: transition.statusChanged } : null,
  };
}

/**
 * Inserts the report's log row and, only if it was not a duplicate, applies the job change:
 * one statement, so a retried report can never change a job. The job's return code is the one
 * of the report that set its status.
 */
async function recordReport(tx: Tx, r: ReportRecord): Promise<{ logged: boolean; updated: boolean }> {
  const rows = await tx.$queryRaw<{ logged: number; updated: number }[]>(statusReportSql.recordReport(r));
  return { logged: rows[0]!.logged === 1, updated: rows[0]!.updated === 1 };
}

function recordReportSql(r: ReportRecord): Prisma.Sql {
  const c = r.change;
  const n = c?.next;
  return Prisma.sql`
    WITH log AS (
      INSERT INTO installation_log (job_id, device_id, message_row_id, received_at, device_timestamp, device_time, package_id,
                                    message_id, event, parameters, status_before, status_after, dedup_key)
      VALUES (${r.jobId}, ${r.deviceId}, ${r.messageRowId}, ${r.now}, ${r.message.timestamp}, ${r.deviceTime}::timestamp,
              ${r.message.packageId}, ${r.message.messageId}, ${r.event}, ${JSON.stringify(r.message.parameters)}::jsonb,
              ${r.statusBefore}::job_status, ${r.statusAfter}::job_status, ${reportDedupKey(r.deviceId, r.message)})
      ON CONFLICT (dedup_key) DO NOTHING
      RETURNING id
    ), job AS (
      UPDATE installation_jobs
         SET status = ${n?.status ?? null}::job_status,
             fallback_method = ${n?.fallbackMethod ?? null}::install_method,
             fallback_reason = ${n?.fallbackReason ?? null},
             fallback_at = ${n?.fallbackAt ?? null}::timestamptz,
             report_key = ${n?.reportKey ?? null},
             completed_at = ${n?.completedAt ?? null}::timestamptz,
             executed_at = ${n?.executedAt ?? null}::timestamptz,
             last_message_id = ${n?.lastMessageId ?? null},
             last_return_code = ${n?.lastReturnCode ?? null},
             updated_at = ${r.now}
       WHERE id = ${c?.jobId ?? null} AND status = ${c?.before ?? null}::job_status AND EXISTS (SELECT 1 FROM log)
      RETURNING id
    )
    SELECT (SELECT count(*) FROM log)::int AS logged, (SELECT count(*) FROM job)::int AS updated`;
}

/**
 * The newest job per reported package on this device, locked. Older jobs for the same package
 * (an earlier install of it) are history and are not touched by new reports.
 */
async function lockLatestJobs(tx: Tx, deviceId: number, packageIds: string[]): Promise<Map<string, StoredJob>> {
  if (packageIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<(StoredJob & { packageId: string })[]>(statusReportSql.lockLatestJobs(deviceId, packageIds));
  return new Map(rows.map(({ packageId, ...job }) => [packageId, job]));
}

function lockLatestJobsSql(deviceId: number, packageIds: string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT j.id, s.package_id AS "packageId", j.status, j.method, j.fallback_method AS "fallbackMethod",
           j.fallback_reason AS "fallbackReason", j.fallback_at AS "fallbackAt",
           j.report_key AS "reportKey", j.last_message_id AS "lastMessageId", j.last_return_code AS "lastReturnCode", j.completed_at AS "completedAt", j.executed_at AS "executedAt",
           s.kind AS "softwareKind", s.version AS "softwareVersion"
      FROM installation_jobs j
      JOIN software s ON s.id = j.software_id
     WHERE j.id IN (SELECT max(j2.id) FROM installation_jobs j2 JOIN software s2 ON s2.id = j2.software_id
                     WHERE j2.device_id = ${deviceId} AND s2.package_id = ANY(${[...new Set(packageIds)]})
                     GROUP BY s2.package_id)
     ORDER BY j.id
       FOR UPDATE OF j`;
}

export const statusReportSql = {
  storeMessageAndTouchDevice: storeMessageAndTouchDeviceSql,
  lockLatestJobs: lockLatestJobsSql,
  recordReport: recordReportSql,
};

/**
 * Where device status reports change jobs. One document = one transaction:
 *   1. store the raw document once per (device, body hash);
 *   2. update the device row (contact time, client version). This also serializes all reports
 *      of one device: they queue on that row lock, so the steps below never race each other;
 *   3. lock the newest job per reported package (FOR UPDATE);
 *   4. per StatusMessage: insert its log row keyed by the report's identity; a retried report
 *      hits the unique key, inserts nothing and changes nothing; otherwise run the pure status
 *      model and write the result with a conditional update (`where status = before`).
 * Late and out-of-order reports are handled by the status model, which never moves a job back.
 */
import { createHash } from "node:crypto";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  messageMeaning,
  parseDeviceTimestamp,
  returnCodeOf,
  type StatusMessage,
  type StatusReport,
} from "@/lib/device-protocol/status-report";
import type { AuthenticatedDevice } from "@/lib/devices/authenticate-device";
import { jobColumnsOf, toJobState, withState, type StoredJob } from "./job-state";
import { eventForMessageId } from "./report-events";
import { applyJobEvent } from "./status-model";
import { applyClientVersionReport } from "./verify-client-version";

export type StatusReportInput = {
  device: AuthenticatedDevice;
  report: StatusReport;
  rawBody: string;
  headers: Record<string, string>;
  clientVersion: string | null;
  now: Date;
};

export type StatusReportResult = {
  /** Log rows written; retried messages are not counted. */
  logged: number;
  duplicates: number;
  jobsChanged: number;
};

export function normalizePackageId(packageId: string): string {
  return packageId.trim().toUpperCase();
}

/** Identity of one report: a device resending it produces the same key. */
export function reportDedupKey(deviceId: number, m: StatusMessage): string {
  const identity = JSON.stringify([deviceId, normalizePackageId(m.packageId), m.messageId, m.timestamp, m.parameters]);
  return createHash("sha256").update(identity).digest("hex");
}

export async function applyStatusReport(input: StatusReportInput): Promise<StatusReportResult> {
  const { device, report, now } = input;
  return db().$transaction(
    async (tx) => {
      const messageRowId = await storeRawMessage(tx, input);
      await tx.device.update({
        where: { id: device.id },
        data: { lastContactAt: now, ...(input.clientVersion ? { clientVersion: input.clientVersion } : {}) },
        select: { id: true },
      });
      const clientVersion = input.clientVersion ?? device.clientVersion;
      if (input.clientVersion && input.clientVersion !== device.clientVersion) {
        await applyClientVersionReport(tx, device.id, input.clientVersion, now);
      }

      const jobs = await lockLatestJobs(tx, device.id, report.messages.map((m) => normalizePackageId(m.packageId)));
      const result: StatusReportResult = { logged: 0, duplicates: 0, jobsChanged: 0 };

      for (const message of report.messages) {
        const packageId = normalizePackageId(message.packageId);
        const deviceTime = parseDeviceTimestamp(message.timestamp);
        const job = jobs.get(packageId);
        const state = job ? toJobState(job, clientVersion) : null;
        const transition = state ? applyJobEvent(state, eventForMessageId(message.messageId, deviceTime), now) : null;
        const meaning = messageMeaning(message.messageId);

        const inserted = await tx.installationLogEntry.createManyAndReturn({
          data: [
            {
              jobId: job?.id ?? null,
              deviceId: device.id,
              messageRowId,
              receivedAt: now,
              deviceTimestamp: message.timestamp,
              deviceTime,
              packageId: message.packageId,
              messageId: message.messageId,
              event: !job ? `${meaning} (no installation job for this package)` : transition?.note ? `${meaning} (${transition.note})` : meaning,
              parameters: message.parameters as Prisma.InputJsonValue,
              statusBefore: state?.status ?? null,
              statusAfter: transition?.next.status ?? null,
              dedupKey: reportDedupKey(device.id, message),
            },
          ],
          skipDuplicates: true,
          select: { id: true },
        });
        if (inserted.length === 0) {
          result.duplicates++;
          continue;
        }
        result.logged++;
        // A report the model ignores leaves the job exactly as it was: the log row is its trace.
        if (!job || !transition?.changed) continue;

        const returnCode = returnCodeOf(message);
        const updated = await tx.installationJob.updateMany({
          where: { id: job.id, status: job.status },
          data: {
            ...jobColumnsOf(transition.next),
            // The return code shown is the one of the report that set the status.
            ...(transition.statusChanged ? { lastMessageId: message.messageId, lastReturnCode: returnCode } : {}),
            updatedAt: now,
          },
        });
        // The row is locked by this transaction, so the guard can only fail on a logic error.
        if (updated.count !== 1) throw new Error(`job ${job.id} changed under its row lock`);
        if (transition.statusChanged) result.jobsChanged++;
        jobs.set(packageId, withState(job, transition.next));
      }
      return result;
    },
    // A document may hold many messages and PGlite runs one transaction at a time: allow more
    // than Prisma's 2 s / 5 s defaults before giving up.
    { maxWait: 15_000, timeout: 30_000 },
  );
}

async function storeRawMessage(tx: Tx, input: StatusReportInput): Promise<bigint> {
  const bodySha256 = createHash("sha256").update(input.rawBody).digest("hex");
  const created = await tx.deviceMessage.createManyAndReturn({
    data: [{ deviceId: input.device.id, action: "Status", receivedAt: input.now, headers: input.headers, body: input.rawBody, bodySha256 }],
    skipDuplicates: true,
    select: { id: true },
  });
  if (created[0]) return created[0].id;
  const existing = await tx.deviceMessage.findUniqueOrThrow({
    where: { deviceId_bodySha256: { deviceId: input.device.id, bodySha256 } },
    select: { id: true },
  });
  return existing.id;
}

/**
 * The newest job per reported package on this device, locked. Older jobs for the same package
 * (an earlier install of it) are history and are not touched by new reports.
 */
async function lockLatestJobs(tx: Tx, deviceId: number, packageIds: string[]): Promise<Map<string, StoredJob>> {
  if (packageIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<(StoredJob & { packageId: string })[]>`
    SELECT j.id, s.package_id AS "packageId", j.status, j.method, j.fallback_method AS "fallbackMethod",
           j.fallback_reason AS "fallbackReason", j.fallback_at AS "fallbackAt",
           j.status_device_time AS "statusDeviceTime", j.completed_at AS "completedAt", j.executed_at AS "executedAt",
           s.kind AS "softwareKind", s.version AS "softwareVersion"
      FROM installation_jobs j
      JOIN software s ON s.id = j.software_id
     WHERE j.id IN (SELECT max(j2.id) FROM installation_jobs j2 JOIN software s2 ON s2.id = j2.software_id
                     WHERE j2.device_id = ${deviceId} AND s2.package_id = ANY(${[...new Set(packageIds)]})
                     GROUP BY s2.package_id)
     ORDER BY j.id
       FOR UPDATE OF j`;
  return new Map(rows.map(({ packageId, ...job }) => [packageId, job]));
}

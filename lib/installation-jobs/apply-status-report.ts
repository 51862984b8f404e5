/**
 * Where device status reports change jobs. One document = one transaction:
 *   1. store the raw document once per (device, body hash);
 *   2. lock the device's jobs for the reported packages (FOR UPDATE, in id order, so two
 *      documents touching the same jobs serialize instead of deadlocking);
 *   3. per StatusMessage: insert its log row keyed by the report's identity; a retried report
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
import { eventForMessageId } from "./report-events";
import { applyClientVersionReport } from "./verify-client-version";
import { applyJobEvent, type JobState, type JobStatus, type InstallMethod, type SoftwareKind } from "./status-model";

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

type LockedJob = {
  id: number;
  package_id: string;
  status: JobStatus;
  method: InstallMethod;
  fallback_method: InstallMethod | null;
  kind: SoftwareKind;
  version: string;
  status_device_time: Date | null;
  completed_at: Date | null;
  executed_at: Date | null;
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
  return db().$transaction(async (tx) => {
    const messageRowId = await storeRawMessage(tx, input);
    const clientVersion = input.clientVersion ?? device.clientVersion;
    await tx.device.update({
      where: { id: device.id },
      data: { lastContactAt: now, ...(input.clientVersion ? { clientVersion: input.clientVersion } : {}) },
      select: { id: true },
    });
    if (input.clientVersion && input.clientVersion !== device.clientVersion) {
      await applyClientVersionReport(tx, device.id, input.clientVersion, now);
    }

    const jobs = await lockLatestJobs(tx, device.id, report.messages.map((m) => normalizePackageId(m.packageId)));
    const result: StatusReportResult = { logged: 0, duplicates: 0, jobsChanged: 0 };

    for (const message of report.messages) {
      const deviceTime = parseDeviceTimestamp(message.timestamp);
      const job = jobs.get(normalizePackageId(message.packageId));
      const state: JobState | null = job ? toJobState(job, clientVersion) : null;
      const transition = state ? applyJobEvent(state, eventForMessageId(message.messageId, deviceTime), now) : null;

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
            event: job ? messageMeaning(message.messageId) : `${messageMeaning(message.messageId)} (no installation job for this package)`,
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
      if (!job || !transition || !state) continue;

      const returnCode = returnCodeOf(message);
      const updated = await tx.installationJob.updateMany({
        where: { id: job.id, status: state.status },
        data: {
          status: transition.next.status,
          statusDeviceTime: transition.next.statusDeviceTime,
          completedAt: transition.next.completedAt,
          executedAt: transition.next.executedAt,
          lastMessageId: message.messageId,
          ...(returnCode !== null ? { lastReturnCode: returnCode } : {}),
          updatedAt: now,
        },
      });
      // The row is locked by this transaction, so the guard can only fail on a logic error.
      if (updated.count !== 1) throw new Error(`job ${job.id} changed under its row lock`);
      if (transition.statusChanged) result.jobsChanged++;
      jobs.set(job.package_id, fromJobState(job, transition.next));
    }
    return result;
  });
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
async function lockLatestJobs(tx: Tx, deviceId: number, packageIds: string[]): Promise<Map<string, LockedJob>> {
  if (packageIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<LockedJob[]>`
    SELECT j.id, s.package_id, j.status, j.method, j.fallback_method, s.kind, s.version,
           j.status_device_time, j.completed_at, j.executed_at
      FROM installation_jobs j
      JOIN software s ON s.id = j.software_id
     WHERE j.device_id = ${deviceId}
       AND j.id IN (SELECT max(j2.id) FROM installation_jobs j2 JOIN software s2 ON s2.id = j2.software_id
                     WHERE j2.device_id = ${deviceId} AND s2.package_id = ANY(${[...new Set(packageIds)]})
                     GROUP BY s2.package_id)
     ORDER BY j.id
       FOR UPDATE OF j`;
  return new Map(rows.map((r) => [r.package_id, r]));
}

function toJobState(job: LockedJob, deviceClientVersion: string | null): JobState {
  return {
    status: job.status,
    method: job.method,
    fallbackMethod: job.fallback_method,
    softwareKind: job.kind,
    softwareVersion: job.version,
    deviceClientVersion,
    statusDeviceTime: job.status_device_time,
    completedAt: job.completed_at,
    executedAt: job.executed_at,
  };
}

function fromJobState(job: LockedJob, state: JobState): LockedJob {
  return {
    ...job,
    status: state.status,
    status_device_time: state.statusDeviceTime,
    completed_at: state.completedAt,
    executed_at: state.executedAt,
  };
}

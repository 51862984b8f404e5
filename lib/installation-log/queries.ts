/** Where the installation log view gets its rows: newest first. */
import { db } from "@/lib/db/client";
import type { JobStatus } from "@/lib/installation-jobs/status-model";
import { describeLogEntry, toLogEntry } from "./entries";

export type LogRow = {
  id: string;
  receivedAt: Date;
  deviceTimestamp: string | null;
  packageId: string | null;
  softwareName: string | null;
  messageId: string | null;
  event: string;
  parameters: { name: string; value: string }[];
  statusBefore: JobStatus | null;
  statusAfter: JobStatus | null;
  /** The raw device message this row came from, fetched on demand (getDeviceMessage). */
  messageRowId: string | null;
};

const LOG_SELECT = {
  id: true,
  receivedAt: true,
  deviceTimestamp: true,
  packageId: true,
  messageId: true,
  code: true,
  data: true,
  parameters: true,
  statusBefore: true,
  statusAfter: true,
  job: { select: { software: { select: { name: true, version: true } } } },
  messageRowId: true,
} as const;

function toLogRow(row: Awaited<ReturnType<typeof findLog>>[number]): LogRow {
  const { id, job, messageRowId, parameters, code, data, ...r } = row;
  return {
    ...r,
    event: describeLogEntry(toLogEntry(code, data), r),
    id: id.toString(),
    softwareName: job ? `${job.software.name} ${job.software.version}` : null,
    parameters: parameters as LogRow["parameters"],
    messageRowId: messageRowId?.toString() ?? null,
  };
}

function findLog(where: { deviceId?: number; jobId?: number }, order: "asc" | "desc", take: number) {
  return db().installationLogEntry.findMany({ where, orderBy: { id: order }, take, select: LOG_SELECT });
}

/** One job's whole history, oldest first (a job rarely has more than a few dozen events). */
export async function listJobLog(jobId: number, limit = 1000): Promise<LogRow[]> {
  return (await findLog({ jobId }, "asc", limit)).map(toLogRow);
}

export async function listDeviceLog(deviceId: number, limit = 200): Promise<LogRow[]> {
  return (await findLog({ deviceId }, "desc", limit)).map(toLogRow);
}

export type DeviceMessageView = { id: string; action: string; receivedAt: Date; headers: Record<string, string>; body: string; bytes: number };

/** One raw device message, only for the device it belongs to (ids are not guessable across devices). */
export async function getDeviceMessage(deviceId: number, messageRowId: string): Promise<DeviceMessageView | null> {
  if (!/^\d{1,18}$/.test(messageRowId)) return null;
  const m = await db().deviceMessage.findFirst({
    where: { id: BigInt(messageRowId), deviceId },
    select: { id: true, action: true, receivedAt: true, headers: true, body: true },
  });
  if (!m) return null;
  return { ...m, id: m.id.toString(), headers: m.headers as Record<string, string>, bytes: Buffer.byteLength(m.body) };
}

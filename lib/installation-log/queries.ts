/** Where the installation log view gets its rows: newest first. */
import { db } from "@/lib/db/client";
import type { JobStatus } from "@/lib/installation-jobs/status-model";
import { describeStoredEntry } from "./entries";

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

/** A stored row as every view shows it, whether Prisma or SQL read it. */
export type StoredLogRow = {
  id: bigint;
  receivedAt: Date;
  deviceTimestamp: string | null;
  packageId: string | null;
  messageId: string | null;
  code: string;
  data: unknown;
  parameters: unknown;
  statusBefore: JobStatus | null;
  statusAfter: JobStatus | null;
  messageRowId: bigint | null;
  softwareName: string | null;
};

export function toLogRow({ id, messageRowId, parameters, code, data, ...r }: StoredLogRow): LogRow {
  return {
    ...r,
    event: describeStoredEntry(code, data, r),
    id: id.toString(),
    parameters: parameters as LogRow["parameters"],
    messageRowId: messageRowId?.toString() ?? null,
  };
}

function fromPrisma({ job, ...row }: Awaited<ReturnType<typeof findLog>>[number]): LogRow {
  return toLogRow({ ...row, softwareName: job ? `${job.software.name} ${job.software.version}` : null });
}

function findLog(where: { deviceId?: number; jobId?: number }, order: "asc" | "desc", take: number) {
  return db().installationLogEntry.findMany({ where, orderBy: { id: order }, take, select: LOG_SELECT });
}

/** One job's whole history, oldest first (a job rarely has more than a few dozen events). */
export async function listJobLog(jobId: number, limit = 1000): Promise<LogRow[]> {
  return (await findLog({ jobId }, "asc", limit)).map(fromPrisma);
}

export async function listDeviceLog(deviceId: number, limit = 200): Promise<LogRow[]> {
  return (await findLog({ deviceId }, "desc", limit)).map(fromPrisma);
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

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

export async function listDeviceLog(deviceId: number, limit = 200): Promise<LogRow[]> {
  const rows = await db().installationLogEntry.findMany({
    where: { deviceId },
    orderBy: { id: "desc" },
    take: limit,
    select: {
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
    },
  });
  return rows.map(({ id, job, messageRowId, parameters, code, data, ...r }) => ({
    ...r,
    event: describeLogEntry(toLogEntry(code, data), r),
    id: id.toString(),
    softwareName: job ? `${job.software.name} ${job.software.version}` : null,
    parameters: parameters as LogRow["parameters"],
    messageRowId: messageRowId?.toString() ?? null,
  }));
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

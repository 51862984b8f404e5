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
  rawMessage: string | null;
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
      message: { select: { body: true } },
    },
  });
  return rows.map(({ id, job, message, parameters, code, data, ...r }) => ({
    ...r,
    event: describeLogEntry(toLogEntry(code, data), r),
    id: id.toString(),
    softwareName: job ? `${job.software.name} ${job.software.version}` : null,
    parameters: parameters as LogRow["parameters"],
    rawMessage: message?.body ?? null,
  }));
}

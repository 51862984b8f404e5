/**
 * Verification of DME-client jobs: when a device reports a client version (today the
 * X-Device-client-version header; later the system info sync), every job of that device
 * waiting for verification is checked against it. Runs inside the caller's transaction.
 */
import type { Tx } from "@/lib/db/client";
import { applyJobEvent, type JobState } from "./status-model";

const WAITING = ["INSTALLED_WAITING_FOR_VERIFICATION", "DOWNLOADED_WAITING_FOR_VERIFICATION"] as const;

export async function applyClientVersionReport(tx: Tx, deviceId: number, version: string, now: Date): Promise<number> {
  const jobs = await tx.installationJob.findMany({
    where: { deviceId, status: { in: [...WAITING] } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      status: true,
      method: true,
      fallbackMethod: true,
      statusDeviceTime: true,
      completedAt: true,
      executedAt: true,
      software: { select: { kind: true, version: true } },
    },
  });
  let verified = 0;
  for (const job of jobs) {
    const state: JobState = {
      status: job.status,
      method: job.method,
      fallbackMethod: job.fallbackMethod,
      softwareKind: job.software.kind,
      softwareVersion: job.software.version,
      deviceClientVersion: null,
      statusDeviceTime: job.statusDeviceTime,
      completedAt: job.completedAt,
      executedAt: job.executedAt,
    };
    const t = applyJobEvent(state, { type: "CLIENT_VERSION_REPORTED", version }, now);
    if (t.statusChanged) {
      // Conditional: a concurrent report that already moved the job wins, and this one is skipped.
      const { count } = await tx.installationJob.updateMany({
        where: { id: job.id, status: job.status },
        data: { status: t.next.status, completedAt: t.next.completedAt, updatedAt: now },
      });
      if (count === 0) continue;
      verified++;
    }
    await tx.installationLogEntry.create({
      data: {
        jobId: job.id,
        deviceId,
        receivedAt: now,
        event: t.statusChanged ? `Verified: device reports client version ${version}` : `Device reports client version ${version}; job installs ${job.software.version}`,
        statusBefore: job.status,
        statusAfter: t.next.status,
      },
    });
  }
  return verified;
}

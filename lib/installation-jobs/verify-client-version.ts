/**
 * Verification of DME-client jobs: when a device reports a client version (today the
 * X-Device-client-version header; later the system info sync), every job of that device
 * waiting for verification is checked against it. Runs inside the caller's transaction, after
 * the caller has locked the device row (which serializes everything reported by one device).
 */
import type { Tx } from "@/lib/db/client";
import { jobColumnsOf, jobContextOf } from "./job-state";
import { applyJobEvent, WAITING_FOR_VERIFICATION } from "./status-model";

export async function applyClientVersionReport(tx: Tx, deviceId: number, version: string, now: Date): Promise<number> {
  const jobs = await tx.installationJob.findMany({
    where: { deviceId, status: { in: WAITING_FOR_VERIFICATION } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      status: true,
      method: true,
      fallbackMethod: true,
      fallbackReason: true,
      fallbackAt: true,
      reportKey: true,
      lastMessageId: true,
      lastReturnCode: true,
      completedAt: true,
      executedAt: true,
      software: { select: { kind: true, version: true } },
    },
  });
  let verified = 0;
  for (const { software, ...job } of jobs) {
    const stored = { ...job, softwareKind: software.kind, softwareVersion: software.version };
    const t = applyJobEvent(stored, jobContextOf(stored, null), { type: "CLIENT_VERSION_REPORTED", version }, now);
    if (t.statusChanged) {
      const { count } = await tx.installationJob.updateMany({
        where: { id: job.id, status: job.status },
        data: { ...jobColumnsOf(t.next), updatedAt: now },
      });
      if (count !== 1) continue; // moved meanwhile: nothing to verify or log
      verified++;
    }
    await tx.installationLogEntry.create({
      data: {
        jobId: job.id,
        deviceId,
        receivedAt: now,
        event: t.statusChanged ? `Verified: device reports client version ${version}` : `Device reports client version ${version} (job installs ${software.version})`,
        statusBefore: job.status,
        statusAfter: t.next.status,
      },
    });
  }
  return verified;
}

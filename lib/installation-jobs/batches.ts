/** The Installation status view of one install batch: counts per status and its jobs. */
import { db } from "@/lib/db/client";
import { compareJobsByPriority, statusPriority, type InstallMethod, type JobStatus } from "./status-model";

export type BatchView = {
  id: number;
  softwareId: number;
  softwareName: string;
  method: InstallMethod;
  fallbackMethod: InstallMethod | null;
  jobCount: number;
  createdBy: string | null;
  createdAt: string;
  counts: { status: JobStatus; count: number }[];
  jobs: { id: number; deviceUuid: string; deviceName: string; status: JobStatus; attempts: number; updatedAt: string; cancelled: boolean }[];
  jobIds: number[];
};

export const BATCH_ROWS_SHOWN = 500;

export async function getBatch(id: number): Promise<BatchView | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const batch = await db().installBatch.findUnique({ where: { id }, include: { software: { select: { name: true, version: true } } } });
  if (!batch) return null;
  const [grouped, jobs] = await Promise.all([
    // The (batch_id, status) index answers this without reading the jobs.
    db().installationJob.groupBy({ by: ["status"], where: { batchId: id }, _count: { _all: true } }),
    db().installationJob.findMany({
      where: { batchId: id },
      orderBy: { id: "asc" },
      take: BATCH_ROWS_SHOWN,
      select: { id: true, status: true, attempts: true, updatedAt: true, cancelledAt: true, device: { select: { deviceUuid: true, name: true } } },
    }),
  ]);
  return {
    id: batch.id,
    softwareId: batch.softwareId,
    softwareName: `${batch.software.name} ${batch.software.version}`,
    method: batch.method,
    fallbackMethod: batch.fallbackMethod,
    jobCount: batch.jobCount,
    createdBy: batch.createdBy,
    createdAt: batch.createdAt.toISOString(),
    counts: grouped.map((g) => ({ status: g.status, count: g._count._all })).sort((a, b) => statusPriority(a.status) - statusPriority(b.status)),
    jobs: jobs
      .map((j) => ({ id: j.id, status: j.status, attempts: j.attempts, updatedAt: j.updatedAt.toISOString(), cancelled: j.cancelledAt !== null, deviceUuid: j.device.deviceUuid, deviceName: j.device.name }))
      .sort((a, b) => compareJobsByPriority({ status: a.status, updatedAt: new Date(a.updatedAt) }, { status: b.status, updatedAt: new Date(b.updatedAt) })),
    jobIds: jobs.map((j) => j.id),
  };
}

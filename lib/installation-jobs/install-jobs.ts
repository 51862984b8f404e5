/**
 * Creating an install's jobs, shared by its two callers: createInstallBatch (install-batch.ts:
 * every job at once, or a gradual install's first release) and the gradual release
 * (rollout.ts). Both run inside their caller's transaction: the software read, the devices
 * locked in id order (as every writer takes them, so two installs and a report cannot
 * deadlock), the unfinished jobs for the same software found, then each job created by the job
 * writer and the messages their methods call for handed to delivery. What to do with a device
 * that is gone or busy is the caller's business: an install refuses or leaves it out, a release
 * skips it with the reason.
 */
import { statement, type Sql } from "@/lib/db/sql";
import { handOver, type OutboundMessageInput } from "@/lib/delivery/delivery";
import { messageForJob, type LinkContext } from "@/lib/delivery/job-messages";
import { createJob } from "./job-writer";
import type { InstallMethod, JobStatus } from "./status-model";
import { unfinishedJobs } from "./unfinished";

export type InstallSoftware = { id: number; name: string; fileName: string | null; packageId: string; storageKey: string | null; withdrawn: boolean };

const softwareSql = statement<InstallSoftware>(
  "install_batch_software",
  `SELECT id, name || ' ' || version AS name, file_name AS "fileName", package_id AS "packageId", storage_key AS "storageKey", withdrawn_at IS NOT NULL AS withdrawn
     FROM software WHERE id = $1::int`,
);

export async function readInstallSoftware(tx: Sql, softwareId: number): Promise<InstallSoftware | null> {
  return (await tx.query(softwareSql, [softwareId]))[0] ?? null;
}

/** Why the software cannot be installed now (withdrawn, no file), or null. */
export function notInstallable(software: InstallSoftware): string | null {
  if (software.withdrawn) return `${software.name} is withdrawn.`;
  if (!software.storageKey) return `${software.name} has no package file to install.`;
  return null;
}

export type InstallDevice = { id: number; deviceUuid: string; phoneNumber: string | null };

// Id order, as every writer locks devices, so two batches cannot deadlock.
const lockByUuidSql = statement<InstallDevice>(
  "install_batch_lock_devices",
  `SELECT id, device_uuid AS "deviceUuid", phone_number AS "phoneNumber" FROM devices WHERE device_uuid = ANY($1::text[]) ORDER BY id FOR UPDATE`,
);
const lockByIdSql = statement<InstallDevice>(
  "install_jobs_lock_devices_by_id",
  `SELECT id, device_uuid AS "deviceUuid", phone_number AS "phoneNumber" FROM devices WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`,
);

export type LockedTargets = {
  /** The devices that exist, locked, in id order. */
  devices: InstallDevice[];
  /** Those of them with an unfinished job for the software already. */
  busy: Awaited<ReturnType<typeof unfinishedJobs>>;
};

/** Locks the devices (by UUID or id; unknown ones are simply not returned) and finds which already have an unfinished job for the software. */
export async function lockInstallTargets(tx: Sql, softwareId: number, devices: { uuids: string[] } | { ids: number[] }): Promise<LockedTargets> {
  const locked = "uuids" in devices ? await tx.query(lockByUuidSql, [devices.uuids]) : await tx.query(lockByIdSql, [devices.ids]);
  const busy = locked.length ? await unfinishedJobs(tx, locked.map((d) => d.id), softwareId) : [];
  return { devices: locked, busy };
}

export type InstallOptions = { method: InstallMethod; fallbackMethod: InstallMethod | null; batchId: number; now: Date; link: LinkContext };

export type CreatedJob = { id: number; deviceId: number; deviceUuid: string; status: JobStatus };

/** One job per device (locked by lockInstallTargets, in its order), each with the message its method calls for, handed over in the same transaction. */
export async function createInstallJobs(tx: Sql, software: InstallSoftware, devices: InstallDevice[], opts: InstallOptions): Promise<CreatedJob[]> {
  const facts = { softwareId: software.id, softwareName: software.name, fileName: software.fileName, fallbackPlan: opts.fallbackMethod };
  const jobs: CreatedJob[] = [];
  const messages: OutboundMessageInput[] = [];
  for (const device of devices) {
    const job = await createJob(tx, { deviceId: device.id, softwareId: software.id, method: opts.method, now: opts.now, batchId: opts.batchId, fallbackPlan: opts.fallbackMethod });
    jobs.push({ id: job.id, deviceId: device.id, deviceUuid: device.deviceUuid, status: job.status });
    const message = messageForJob({ id: job.id, deviceId: device.id, status: job.status, method: opts.method, fallbackMethod: null, packageId: software.packageId }, facts, device, opts.link);
    if (message) messages.push(message);
  }
  await handOver(tx, messages, opts.now);
  return jobs;
}

/** Where the Installing and Installed sub-tables get their rows. */
import { db } from "@/lib/db/client";
import {
  compareJobsByPriority,
  INSTALLED_TABLE_RETENTION_MS,
  JOB_STATUSES,
  subTableOf,
  type InstallMethod,
  type JobStatus,
  type SoftwareKind,
} from "./status-model";

export const INSTALLING_STATUSES: JobStatus[] = JOB_STATUSES.filter((s) => subTableOf(s) === "Installing");
export const INSTALLED_STATUSES: JobStatus[] = JOB_STATUSES.filter((s) => subTableOf(s) === "Installed");

/** A job as the console shows it: serialisable (dates as ISO strings) for client tables. */
export type JobRow = {
  id: number;
  softwareName: string;
  softwareVersion: string;
  softwareKind: SoftwareKind;
  packageId: string;
  method: InstallMethod;
  fallbackMethod: InstallMethod | null;
  status: JobStatus;
  lastReturnCode: string | null;
  /** 1, plus one per Retry. */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
};

export type DeviceJobs = { installing: JobRow[]; installed: JobRow[] };

/**
 * Both sub-tables for one device, each in default priority order. Installed-table jobs that
 * completed more than 7 days before `now` are left out (they stay in the log).
 */
/** The columns of a JobRow, for every read that shows jobs, and their plain-object form. */
const JOB_ROW_SELECT = {
  id: true,
  method: true,
  fallbackMethod: true,
  status: true,
  lastReturnCode: true,
  attempts: true,
  createdAt: true,
  updatedAt: true,
  completedAt: true,
  software: { select: { name: true, version: true, kind: true, packageId: true } },
} as const;

type SelectedJobRow = {
  [K in Exclude<keyof typeof JOB_ROW_SELECT, "software" | "createdAt" | "updatedAt" | "completedAt">]: JobRow[K];
} & { createdAt: Date; updatedAt: Date; completedAt: Date | null; software: { name: string; version: string; kind: SoftwareKind; packageId: string } };

function toJobRow({ software, createdAt, updatedAt, completedAt, ...j }: SelectedJobRow): JobRow {
  return {
    ...j,
    softwareName: software.name,
    softwareVersion: software.version,
    softwareKind: software.kind,
    packageId: software.packageId,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    completedAt: completedAt?.toISOString() ?? null,
  };
}

export async function listDeviceJobs(deviceId: number, now: Date): Promise<DeviceJobs> {
  const cutoff = new Date(now.getTime() - INSTALLED_TABLE_RETENTION_MS);
  const jobs = await db().installationJob.findMany({
    where: {
      deviceId,
      // Cancelled jobs leave both sub-tables; the log keeps them.
      cancelledAt: null,
      OR: [{ status: { in: INSTALLING_STATUSES } }, { status: { in: INSTALLED_STATUSES }, completedAt: { gte: cutoff } }],
    },
    select: JOB_ROW_SELECT,
  });
  const rows = jobs.sort(compareJobsByPriority).map(toJobRow);
  return {
    installing: rows.filter((r) => subTableOf(r.status) === "Installing"),
    installed: rows.filter((r) => subTableOf(r.status) === "Installed"),
  };
}

export type JobDetail = JobRow & {
  deviceId: number;
  deviceUuid: string;
  deviceName: string;
  softwareId: number;
  fallbackAt: string | null;
  fallbackReason: string | null;
  /** Use DM jobs: the download-link method planned if the bootstrap or OMA DM fails. */
  fallbackPlan: InstallMethod | null;
  cancelledAt: string | null;
  executedAt: string | null;
  lastMessageId: string | null;
};

export async function getJob(jobId: number): Promise<JobDetail | null> {
  if (!Number.isSafeInteger(jobId) || jobId <= 0) return null;
  const j = await db().installationJob.findUnique({
    where: { id: jobId },
    select: {
      ...JOB_ROW_SELECT,
      lastMessageId: true,
      fallbackAt: true,
      fallbackReason: true,
      fallbackPlan: true,
      cancelledAt: true,
      executedAt: true,
      softwareId: true,
      device: { select: { id: true, deviceUuid: true, name: true } },
    },
  });
  if (!j) return null;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const { device, lastMessageId, softwareId, fallbackAt, fallbackReason, fallbackPlan, cancelledAt, executedAt, ...row } = j;
  return {
    ...toJobRow(row),
    lastMessageId,
    softwareId,
    deviceId: device.id,
    deviceUuid: device.deviceUuid,
    deviceName: device.name,
    fallbackAt: iso(fallbackAt),
    fallbackReason,
    fallbackPlan,
    cancelledAt: iso(cancelledAt),
    executedAt: iso(executedAt),
  };
}

export type JobMessage = {
  id: string;
  kind: string;
  recipient: string | null;
  state: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  content: Record<string, unknown>;
};

/** How many of a job's messages its page shows; the Outbox (`/outbox?job=<id>`) has them all. */
export const JOB_MESSAGES_SHOWN = 50;

/** What the delivery layer was handed for the job (SMS, WAP push, bootstrap), newest first. */
export async function listJobMessages(jobId: number): Promise<JobMessage[]> {
  const rows = await db().outboundMessage.findMany({
    where: { jobId },
    orderBy: { id: "desc" },
    take: JOB_MESSAGES_SHOWN,
    select: { id: true, kind: true, recipient: true, state: true, attempts: true, lastError: true, nextAttemptAt: true, createdAt: true, content: true },
  });
  return rows.map((m) => ({
    ...m,
    id: String(m.id),
    nextAttemptAt: m.nextAttemptAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    content: m.content as Record<string, unknown>,
  }));
}

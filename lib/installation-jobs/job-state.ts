/**
 * The one mapping between a stored job and the status model's JobState, and back to the
 * columns a transition writes. The ingest hot path writes the same columns in SQL
 * (recordReportSql in apply-status-report.ts): a new JobState field must be added there too.
 */
import type { JobState, InstallMethod, JobStatus, SoftwareKind } from "./status-model";

/** What the writers select: job columns plus the software's kind and version. */
export type StoredJob = {
  id: number;
  status: JobStatus;
  method: InstallMethod;
  fallbackMethod: InstallMethod | null;
  fallbackReason: string | null;
  fallbackAt: Date | null;
  statusDeviceTime: Date | null;
  completedAt: Date | null;
  executedAt: Date | null;
  softwareKind: SoftwareKind;
  softwareVersion: string;
};

export function toJobState(job: StoredJob, deviceClientVersion: string | null): JobState {
  return {
    status: job.status,
    method: job.method,
    fallbackMethod: job.fallbackMethod,
    fallbackReason: job.fallbackReason,
    fallbackAt: job.fallbackAt,
    softwareKind: job.softwareKind,
    softwareVersion: job.softwareVersion,
    deviceClientVersion,
    statusDeviceTime: job.statusDeviceTime,
    completedAt: job.completedAt,
    executedAt: job.executedAt,
  };
}

/** The columns a transition may change. */
export function jobColumnsOf(state: JobState) {
  return {
    status: state.status,
    fallbackMethod: state.fallbackMethod,
    fallbackReason: state.fallbackReason,
    fallbackAt: state.fallbackAt,
    statusDeviceTime: state.statusDeviceTime,
    completedAt: state.completedAt,
    executedAt: state.executedAt,
  };
}

export function withState(job: StoredJob, state: JobState): StoredJob {
  return { ...job, ...jobColumnsOf(state) };
}

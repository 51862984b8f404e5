/**
 * The one mapping between a stored job and the status model's JobState and JobContext. The
 * ingest hot path writes the same columns in SQL (recordReportSql in apply-status-report.ts):
 * a new JobState field must be added there too.
 */
import type { JobContext, JobState, SoftwareKind } from "./status-model";

/** What the writers select: job columns plus the software's kind and version. */
export type StoredJob = JobState & { id: number; softwareKind: SoftwareKind; softwareVersion: string };

export function jobContextOf(job: StoredJob, deviceClientVersion: string | null): JobContext {
  return { softwareKind: job.softwareKind, softwareVersion: job.softwareVersion, deviceClientVersion };
}

/** The columns a transition may change. */
export function jobColumnsOf(state: JobState): JobState {
  return {
    status: state.status,
    method: state.method,
    fallbackMethod: state.fallbackMethod,
    fallbackReason: state.fallbackReason,
    fallbackAt: state.fallbackAt,
    reportKey: state.reportKey,
    lastMessageId: state.lastMessageId,
    lastReturnCode: state.lastReturnCode,
    completedAt: state.completedAt,
    executedAt: state.executedAt,
  };
}

export function withState(job: StoredJob, state: JobState): StoredJob {
  return { ...job, ...jobColumnsOf(state) };
}

/**
 * The DME installation-job status model (shared/docs/status-model.md), as pure functions.
 *
 * Nothing here reads a clock or a database: callers pass the job's current state, the event and
 * `now`, and get back the new state plus what changed. The data layer then writes that with a
 * conditional update. Every switch is exhaustive over the status union, so adding a status fails
 * compilation wherever it matters.
 */

export const JOB_STATUSES = [
  "WAITING_FOR_BOOTSTRAP",
  "WAITING_FOR_DOWNLOAD",
  "INSTALLING_SOFTWARE",
  "INSTALLED_WAITING_FOR_VERIFICATION",
  "DOWNLOADED_WAITING_FOR_VERIFICATION",
  "INSTALLED",
  "DOWNLOADED",
  "INSTALLED_VERIFIED",
  "DOWNLOADED_VERIFIED",
  "INSTALLATION_FAILED",
  "UNKNOWN_STATUS",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const INSTALL_METHODS = ["OMA_DM", "WAP_PUSH", "SMS_PUSH", "MARK_FOR_INSTALLATION"] as const;
export type InstallMethod = (typeof INSTALL_METHODS)[number];

export const SOFTWARE_KINDS = ["DME_CLIENT", "OTHER_SOFTWARE"] as const;
export type SoftwareKind = (typeof SOFTWARE_KINDS)[number];

export type SubTable = "Installing" | "Installed";
/** Priority rank from the manual; "error" rows sit above rank 1 because they need action. */
export type StatusRank = 1 | 2 | 3 | 4 | 5 | "error";

type StatusInfo = { label: string; rank: StatusRank; subTable: SubTable };

// Display texts use the en dash (U+2013) exactly as the manual does.
const STATUS_INFO: { [S in JobStatus]: StatusInfo } = {
  WAITING_FOR_BOOTSTRAP: { label: "Waiting for bootstrap", rank: 1, subTable: "Installing" },
  WAITING_FOR_DOWNLOAD: { label: "Waiting for download", rank: 1, subTable: "Installing" },
  INSTALLING_SOFTWARE: { label: "Installing software", rank: 2, subTable: "Installing" },
  INSTALLED_WAITING_FOR_VERIFICATION: {
    label: "Installed \u2013 Waiting for verification",
    rank: 3,
    subTable: "Installing",
  },
  DOWNLOADED_WAITING_FOR_VERIFICATION: {
    label: "Downloaded \u2013 Waiting for verification",
    rank: 3,
    subTable: "Installing",
  },
  INSTALLED: { label: "Installed", rank: 4, subTable: "Installed" },
  DOWNLOADED: { label: "Downloaded", rank: 4, subTable: "Installed" },
  INSTALLED_VERIFIED: { label: "Installed \u2013 Verified", rank: 5, subTable: "Installed" },
  DOWNLOADED_VERIFIED: { label: "Downloaded \u2013 Verified", rank: 5, subTable: "Installed" },
  INSTALLATION_FAILED: { label: "Installation failed", rank: "error", subTable: "Installing" },
  UNKNOWN_STATUS: { label: "Unknown status", rank: "error", subTable: "Installing" },
};

export function statusLabel(status: JobStatus): string {
  return STATUS_INFO[status].label;
}
export function statusRank(status: JobStatus): StatusRank {
  return STATUS_INFO[status].rank;
}
export function subTableOf(status: JobStatus): SubTable {
  return STATUS_INFO[status].subTable;
}

/**
 * Sort key for the Status column, smaller = shown first. One key serves both sub-tables:
 * errors first, then ranks 1, 2, 3 (Installing); verified (5) above unverified (4) (Installed).
 */
export function statusPriority(status: JobStatus): number {
  const rank = statusRank(status);
  switch (rank) {
    case "error":
      return 0;
    case 1:
    case 2:
    case 3:
      return rank;
    case 5:
      return 4;
    case 4:
      return 5;
  }
}

/** Compares for the default ordering: priority, then most recent change first. */
export function compareJobsByPriority(
  a: { status: JobStatus; updatedAt: Date },
  b: { status: JobStatus; updatedAt: Date },
): number {
  return statusPriority(a.status) - statusPriority(b.status) || b.updatedAt.getTime() - a.updatedAt.getTime();
}

/** Finished = in the Installed sub-table. Reports never move such a job. */
export function isFinished(status: JobStatus): boolean {
  return subTableOf(status) === "Installed";
}

export const WAITING_FOR_VERIFICATION: JobStatus[] = ["INSTALLED_WAITING_FOR_VERIFICATION", "DOWNLOADED_WAITING_FOR_VERIFICATION"];

export function isWaitingForVerification(status: JobStatus): boolean {
  return WAITING_FOR_VERIFICATION.includes(status);
}

/**
 * The device list's per-device counters (devices.installing_count, installed_count,
 * attention_count), kept by the job writer. A cancelled job counts nowhere: it left both
 * sub-tables. Unlike the Installed sub-table, "installed" has no 7-day window: a counter
 * changes only when a job does, and time passing changes no job.
 */
export const JOB_COUNT_BUCKETS = ["installing", "installed", "attention"] as const;
export type JobCountBucket = (typeof JOB_COUNT_BUCKETS)[number];

export function jobCountBucket(job: Pick<JobState, "status" | "cancelledAt">): JobCountBucket | null {
  return job.cancelledAt !== null ? null : statusBucket(job.status);
}

/** The bucket of a status, whether or not the job was cancelled. */
export function statusBucket(status: JobStatus): JobCountBucket {
  const rank = statusRank(status);
  switch (rank) {
    case 1:
    case 2:
    case 3:
      return "installing";
    case "error":
      return "attention";
    case 4:
    case 5:
      return "installed";
  }
}

/**
 * The same buckets under the software library's words: its per-entry counts and the jobs list's
 * `state` filter (so a count links to exactly the jobs it counted). Cancelled jobs are in none.
 */
export const JOB_STATES = ["installed", "inProgress", "failed"] as const;
export type JobStateName = (typeof JOB_STATES)[number];
const STATE_OF_BUCKET: { [B in JobCountBucket]: JobStateName } = { installing: "inProgress", attention: "failed", installed: "installed" };
export const JOB_STATE_LABELS: { [S in JobStateName]: string } = { installed: "Installed", inProgress: "In progress", failed: "Failed" };

export function jobStateOf(status: JobStatus): JobStateName {
  return STATE_OF_BUCKET[statusBucket(status)];
}

export function statusesInState(state: JobStateName): JobStatus[] {
  return JOB_STATUSES.filter((s) => jobStateOf(s) === state);
}

/** The status whose display text this is, exactly (en dashes included); null for any other text. */
export function statusFromLabel(text: string): JobStatus | null {
  return JOB_STATUSES.find((s) => STATUS_INFO[s].label === text) ?? null;
}

/** The 7-day rule: Installed-table jobs are shown this long after completedAt (the log keeps them). */
export const INSTALLED_TABLE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Job creation

export function isDownloadLinkMethod(method: InstallMethod): boolean {
  return method !== "OMA_DM";
}

/** Status of a new job: OMA DM waits for bootstrap unless the device already has it. */
export function initialStatus(method: InstallMethod, deviceBootstrapped: boolean): JobStatus {
  if (isDownloadLinkMethod(method)) return "WAITING_FOR_DOWNLOAD";
  return deviceBootstrapped ? "INSTALLING_SOFTWARE" : "WAITING_FOR_BOOTSTRAP";
}

// ---------------------------------------------------------------------------------------------
// Events and transitions

/**
 * The job's own columns that transitions change: the one list of what a job's state is. The
 * job writer (job-writer.ts) maps exactly these fields to columns, so a field added here is
 * written everywhere at once.
 */
export type JobState = {
  status: JobStatus;
  method: InstallMethod;
  /** Set once an OMA DM job has fallen back to a download link. */
  fallbackMethod: InstallMethod | null;
  fallbackReason: string | null;
  fallbackAt: Date | null;
  /**
   * Ordering key (reportOrderKey) of the device report that decided the current status: the
   * newest non-success report, or once delivered the earliest success. Null until a report
   * counts.
   */
  reportKey: string | null;
  /** messageID and return code of that deciding report. */
  lastMessageId: string | null;
  lastReturnCode: string | null;
  completedAt: Date | null;
  executedAt: Date | null;
  /** Set when an administrator cancelled the unfinished job: it leaves the poll and never moves again. */
  cancelledAt: Date | null;
  /** 1, plus one per Retry. */
  attempts: number;
  /** The latest Retry. Until the package is handed over again after it, reports are the earlier attempt's. */
  retriedAt: Date | null;
  /** When the device first took the package over (instructions, location or the file) after the latest Retry. */
  handedOverAt: Date | null;
};

/** What the model reads but never changes: the software and the device around the job. */
export type JobContext = {
  softwareKind: SoftwareKind;
  softwareVersion: string;
  /** Client version the device last reported (X-Device-client-version / system info sync). */
  deviceClientVersion: string | null;
};

/** One device status report, as the model needs it. */
export type DeviceReport = {
  /** The device's own timestamp attribute, parsed (null when absent or unparsable). */
  deviceTime: Date | null;
  /** Server receive time: the reference for the clock-skew limit. */
  receivedAt: Date;
  messageId: string;
  returnCode: string | null;
  /** Stable identity of the report (its dedup key): the last tie-breaker of the ordering. */
  identity: string;
};

export type ReportEventType = "DOWNLOAD_STARTED" | "DOWNLOAD_SUCCEEDED" | "DOWNLOAD_FAILED" | "EXECUTION_SUCCEEDED" | "UNMAPPED_REPORT";

export type JobEvent =
  | { type: "BOOTSTRAP_SUCCEEDED" }
  | { type: "BOOTSTRAP_FAILED"; fallbackMethod: InstallMethod; reason: string }
  | { type: ReportEventType; report: DeviceReport } // 11030, 11031, 11032, 11035, anything else
  | { type: "OMA_DM_INSTALL_SUCCEEDED" }
  | { type: "OMA_DM_INSTALL_FAILED" }
  | { type: "CLIENT_VERSION_REPORTED"; version: string }
  /** The job's package URL served its first bytes (the download route), from `start` of `size`. */
  | { type: "PACKAGE_FETCH_STARTED"; start: number; size: number }
  /**
   * The job's package URL served the whole file. A link opened outside the CE client (SMS/WAP
   * push) completes the download by that; for the CE client its 11031/11035 reports do.
   */
  | { type: "PACKAGE_FETCHED"; size: number; completesDelivery: boolean }
  /** An administrator cancels an unfinished job (the console, issue 6). */
  | { type: "JOB_CANCELLED" }
  /** An administrator retries a failed or unknown job: it starts over by its method. */
  | { type: "JOB_RETRIED"; deviceBootstrapped: boolean }
  /** The device asked for the job's instructions or a download location and got them. */
  | { type: "PACKAGE_HANDED_OVER"; request: "INSTRUCTIONS" | "LOCATION"; expiresAt?: string }
  /**
   * The SMS or WAP push carrying the job's download link finally failed (the gateway refused it,
   * every attempt failed, or the delivery report said so): the device cannot learn the link.
   */
  | { type: "LINK_MESSAGE_FAILED"; via: "SMS_PUSH" | "WAP_PUSH"; reason: string }
  /** Housekeeping: the job has not moved for `days` days while it should have (waiting, installing). */
  | { type: "JOB_STUCK"; days: number };

export type JobEventType = JobEvent["type"];

/** Why an event left the job as it was; the log shows it next to the event. */
export type TransitionNote =
  | "ALREADY_DELIVERED" // finished, or only waiting for verification: no report moves it
  | "SUPERSEDED" // a report ordered after this one already decided the status
  | "NOT_WAITING_FOR_BOOTSTRAP"
  | "NOT_WAITING_FOR_DOWNLOAD"
  | "OTHER_VERSION" // the device reports a version other than the job's
  | "CANCELLED" // the job was cancelled: nothing moves it
  | "NOT_RETRYABLE" // only failed and unknown jobs are retried
  | "EARLIER_ATTEMPT"; // retried, and the package not handed over since: the report is the earlier attempt's

export type Transition = {
  /** The job after the event (unchanged fields copied). */
  next: JobState;
  statusChanged: boolean;
  /** True when anything on the job changed and must be written. */
  changed: boolean;
  note?: TransitionNote;
};

/**
 * Where a successful delivery leaves the job. OMA DM jobs say "Installed", download-link jobs
 * (including OMA DM jobs that fell back) say "Downloaded"; DME clients wait for verification
 * unless the device already runs that version (then they are verified at once).
 */
export function completedStatus(job: Pick<JobState, "method" | "fallbackMethod">, ctx: JobContext): JobStatus {
  const viaOmaDm = job.method === "OMA_DM" && job.fallbackMethod === null;
  if (ctx.softwareKind === "OTHER_SOFTWARE") return viaOmaDm ? "INSTALLED" : "DOWNLOADED";
  const verified = ctx.deviceClientVersion !== null && ctx.deviceClientVersion === ctx.softwareVersion;
  if (viaOmaDm) return verified ? "INSTALLED_VERIFIED" : "INSTALLED_WAITING_FOR_VERIFICATION";
  return verified ? "DOWNLOADED_VERIFIED" : "DOWNLOADED_WAITING_FOR_VERIFICATION";
}

function verifiedStatus(status: JobStatus): JobStatus {
  switch (status) {
    case "INSTALLED_WAITING_FOR_VERIFICATION":
      return "INSTALLED_VERIFIED";
    case "DOWNLOADED_WAITING_FOR_VERIFICATION":
      return "DOWNLOADED_VERIFIED";
    default:
      return status;
  }
}

// ---------------------------------------------------------------------------------------------
// Report ordering
//
// Reports arrive late, twice and out of order, so the model never trusts arrival order: the
// outcome is the one of applying a job's reports sorted by reportOrderKey. That sorted fold is
// simple to state: a success (11031/11035) delivers the job for good, and until one arrives the
// status is the one the greatest-key report implies. Both are joins (any success; the maximum
// key), so applying reports one by one in any order gives the same answer as sorting them first
// (status-model.test.ts checks it over random arrival orders).

/** Device clocks may be off and in any time zone (device time is local wall time); beyond
 * this much in the future a timestamp is a wrong clock (CE devices without a battery-backed
 * clock, or 9999-12-31), and a wrong clock must not win the ordering for good. */
export const MAX_CLOCK_SKEW_MS = 2 * 24 * 60 * 60 * 1000;

/** Among reports with the same device time, the order a device sends them in. */
const TIE_RANK: { [T in ReportEventType]: number } = {
  DOWNLOAD_STARTED: 1,
  UNMAPPED_REPORT: 2,
  DOWNLOAD_FAILED: 3,
  DOWNLOAD_SUCCEEDED: 4,
  EXECUTION_SUCCEEDED: 5,
};

/** The device time when it is plausible, else null (then the report is not ordered by it). */
export function trustedDeviceTime(report: Pick<DeviceReport, "deviceTime" | "receivedAt">): Date | null {
  const t = report.deviceTime;
  return t !== null && t.getTime() <= report.receivedAt.getTime() + MAX_CLOCK_SKEW_MS ? t : null;
}

/**
 * Sort key of a report, compared as a plain string: reports with a trusted device time ("1…")
 * follow every report without one ("0…"), then device time, then TIE_RANK, then identity.
 * toISOString is fixed-width for the years a device timestamp can hold (0001-9999).
 */
export function reportOrderKey(type: ReportEventType, report: DeviceReport): string {
  const t = trustedDeviceTime(report);
  return t === null ? `0${TIE_RANK[type]}${report.identity}` : `1${t.toISOString()}${TIE_RANK[type]}${report.identity}`;
}

// ---------------------------------------------------------------------------------------------

/** Delivered: finished, or only waiting for verification. No delivery report moves such a job. */
function isDelivered(status: JobStatus): boolean {
  return isFinished(status) || isWaitingForVerification(status);
}

function unchanged(job: JobState, note?: TransitionNote): Transition {
  return { next: job, statusChanged: false, changed: false, note };
}

function moveTo(job: JobState, status: JobStatus, now: Date, patch: Partial<JobState> = {}): Transition {
  const next: JobState = { ...job, ...patch, status };
  // completedAt marks entry into the Installed sub-table, once.
  if (isFinished(status) && next.completedAt === null) next.completedAt = now;
  const statusChanged = status !== job.status;
  const changed = statusChanged || (Object.keys(patch) as (keyof JobState)[]).some((k) => !sameValue(next[k], job[k]));
  return { next, statusChanged, changed };
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}

function isSuccess(type: ReportEventType): boolean {
  return type === "DOWNLOAD_SUCCEEDED" || type === "EXECUTION_SUCCEEDED";
}

/** The status a non-success report implies when it is the greatest-key report of the job. */
function impliedStatus(type: Exclude<ReportEventType, "DOWNLOAD_SUCCEEDED" | "EXECUTION_SUCCEEDED">): JobStatus {
  switch (type) {
    case "DOWNLOAD_STARTED":
      return "INSTALLING_SOFTWARE";
    case "DOWNLOAD_FAILED":
      return "INSTALLATION_FAILED";
    case "UNMAPPED_REPORT":
      return "UNKNOWN_STATUS";
  }
}

function applyReport(job: JobState, ctx: JobContext, type: ReportEventType, report: DeviceReport, now: Date): Transition {
  const key = reportOrderKey(type, report);
  const decided = { reportKey: key, lastMessageId: report.messageId, lastReturnCode: report.returnCode };
  // 11035 is recorded on the job whatever its status.
  const executed: Partial<JobState> = type === "EXECUTION_SUCCEEDED" && job.executedAt === null ? { executedAt: now } : {};

  if (isDelivered(job.status)) {
    // In key order the earliest success is the one that delivered the job: it names the return
    // code, whichever success happened to arrive first.
    const earlier = isSuccess(type) && job.reportKey !== null && key < job.reportKey;
    const t = moveTo(job, job.status, now, { ...executed, ...(earlier ? decided : {}) });
    // 11035 after 11031 is the normal next step, not a late report: no note when it recorded something.
    return t.changed ? t : { ...t, note: "ALREADY_DELIVERED" };
  }
  // A success ends the delivery even after a failure or an unknown report (the device only
  // reports success once a download really completed); 11035 without 11031 implies it.
  if (isSuccess(type)) return moveTo(job, completedStatus(job, ctx), now, { ...executed, ...decided });
  if (job.reportKey !== null && key <= job.reportKey) return unchanged(job, "SUPERSEDED");
  return moveTo(job, impliedStatus(type as Parameters<typeof impliedStatus>[0]), now, decided);
}

/**
 * After a Retry, reports carry only a package ID, so a late one from the failed attempt would
 * look like news about the new one. Until the device has taken the package over again
 * (instructions, a location or the file itself, all after the Retry), reports are ignored.
 * A report from the earlier attempt arriving after that is indistinguishable and still counts.
 */
export function awaitsHandover(job: Pick<JobState, "retriedAt" | "handedOverAt">): boolean {
  return job.retriedAt !== null && (job.handedOverAt === null || job.handedOverAt < job.retriedAt);
}

export function isRetryable(job: { status: JobStatus; cancelledAt: Date | string | null }): boolean {
  return job.cancelledAt === null && (job.status === "INSTALLATION_FAILED" || job.status === "UNKNOWN_STATUS");
}

/** Where a job can be stuck: waiting for its bootstrap or download, or installing (housekeeping's sweep). */
export const STUCK_STATUSES: readonly JobStatus[] = ["WAITING_FOR_BOOTSTRAP", "WAITING_FOR_DOWNLOAD", "INSTALLING_SOFTWARE"];

/** The one transition function. */
export function applyJobEvent(job: JobState, ctx: JobContext, event: JobEvent, now: Date): Transition {
  if (job.cancelledAt !== null) return unchanged(job, "CANCELLED");
  const handover: Partial<JobState> = awaitsHandover(job) ? { handedOverAt: now } : {};
  switch (event.type) {
    case "JOB_RETRIED":
      if (!isRetryable(job)) return unchanged(job, "NOT_RETRYABLE");
      // A job that already fell back to a download link retries that link: its bootstrap failed.
      return moveTo(job, job.fallbackMethod ? "WAITING_FOR_DOWNLOAD" : initialStatus(job.method, event.deviceBootstrapped), now, {
        attempts: job.attempts + 1,
        retriedAt: now,
        handedOverAt: null,
        reportKey: null,
        lastMessageId: null,
        lastReturnCode: null,
        executedAt: null,
      });

    case "PACKAGE_HANDED_OVER":
      return Object.keys(handover).length ? moveTo(job, job.status, now, handover) : unchanged(job);

    case "JOB_STUCK":
      // Only jobs still on their way: a delivered job waiting for verification is the device's news to give.
      return STUCK_STATUSES.includes(job.status) ? moveTo(job, "UNKNOWN_STATUS", now) : unchanged(job);

    case "LINK_MESSAGE_FAILED":
      // Only while the link is all the device has: once it started downloading, the link reached it.
      return job.status === "WAITING_FOR_DOWNLOAD" ? moveTo(job, "INSTALLATION_FAILED", now) : unchanged(job, "NOT_WAITING_FOR_DOWNLOAD");

    case "JOB_CANCELLED":
      return isDelivered(job.status) ? unchanged(job, "ALREADY_DELIVERED") : moveTo(job, job.status, now, { cancelledAt: now });

    case "BOOTSTRAP_SUCCEEDED":
      return job.status === "WAITING_FOR_BOOTSTRAP" ? moveTo(job, "INSTALLING_SOFTWARE", now) : unchanged(job, "NOT_WAITING_FOR_BOOTSTRAP");

    case "BOOTSTRAP_FAILED":
      // The manual: "If the bootstrap fails, the installation job falls back to the download
      // link installation method."
      return job.status === "WAITING_FOR_BOOTSTRAP"
        ? moveTo(job, "WAITING_FOR_DOWNLOAD", now, { fallbackMethod: event.fallbackMethod, fallbackReason: event.reason, fallbackAt: now })
        : unchanged(job, "NOT_WAITING_FOR_BOOTSTRAP");

    case "OMA_DM_INSTALL_SUCCEEDED":
      if (isDelivered(job.status)) return unchanged(job, "ALREADY_DELIVERED");
      return moveTo(job, completedStatus(job, ctx), now);

    case "OMA_DM_INSTALL_FAILED":
      if (isDelivered(job.status)) return unchanged(job, "ALREADY_DELIVERED");
      return moveTo(job, "INSTALLATION_FAILED", now);

    case "DOWNLOAD_STARTED":
    case "DOWNLOAD_SUCCEEDED":
    case "DOWNLOAD_FAILED":
    case "EXECUTION_SUCCEEDED":
    case "UNMAPPED_REPORT":
      if (awaitsHandover(job)) return unchanged(job, "EARLIER_ATTEMPT");
      return applyReport(job, ctx, event.type, event.report, now);

    case "PACKAGE_FETCH_STARTED":
      if (job.status === "WAITING_FOR_DOWNLOAD") return moveTo(job, "INSTALLING_SOFTWARE", now, handover);
      return Object.keys(handover).length ? moveTo(job, job.status, now, handover) : unchanged(job, "NOT_WAITING_FOR_DOWNLOAD");

    case "PACKAGE_FETCHED":
      if (!event.completesDelivery) return unchanged(job);
      if (isDelivered(job.status)) return unchanged(job, "ALREADY_DELIVERED");
      return moveTo(job, completedStatus(job, ctx), now);

    case "CLIENT_VERSION_REPORTED": {
      if (!isWaitingForVerification(job.status)) return unchanged(job);
      if (event.version !== ctx.softwareVersion) return unchanged(job, "OTHER_VERSION");
      return moveTo(job, verifiedStatus(job.status), now);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Labels for the console

const METHOD_LABELS: { [M in InstallMethod]: string } = {
  OMA_DM: "OMA DM",
  WAP_PUSH: "WAP push",
  SMS_PUSH: "SMS push",
  MARK_FOR_INSTALLATION: "Mark for Installation",
};
export function methodLabel(method: InstallMethod): string {
  return METHOD_LABELS[method];
}

const KIND_LABELS: { [K in SoftwareKind]: string } = {
  DME_CLIENT: "DME client",
  OTHER_SOFTWARE: "Other software",
};
export function softwareKindLabel(kind: SoftwareKind): string {
  return KIND_LABELS[kind];
}

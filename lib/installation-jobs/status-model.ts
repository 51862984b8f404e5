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

/** Delivered: finished, or only waiting for verification. No delivery report moves such a job. */
function isDelivered(status: JobStatus): boolean {
  return isFinished(status) || isWaitingForVerification(status);
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

/** What the transition function needs to know about a job. */
export type JobState = {
  status: JobStatus;
  method: InstallMethod;
  /** Set once an OMA DM job has fallen back to a download link. */
  fallbackMethod: InstallMethod | null;
  fallbackReason: string | null;
  fallbackAt: Date | null;
  softwareKind: SoftwareKind;
  softwareVersion: string;
  /** Client version the device last reported (X-Device-client-version / system info sync). */
  deviceClientVersion: string | null;
  /** Newest device time of a report that moved or restarted the delivery. */
  statusDeviceTime: Date | null;
  completedAt: Date | null;
  executedAt: Date | null;
};

/** Device-report events carry the device's own timestamp (null when absent or unparsable). */
type Reported = { deviceTime: Date | null };

export type JobEvent =
  | { type: "BOOTSTRAP_SUCCEEDED" }
  | { type: "BOOTSTRAP_FAILED"; fallbackMethod: InstallMethod; reason: string }
  | ({ type: "DOWNLOAD_STARTED" } & Reported) // 11030, or the package URL fetched
  | ({ type: "DOWNLOAD_SUCCEEDED" } & Reported) // 11031
  | ({ type: "DOWNLOAD_FAILED" } & Reported) // 11032
  | ({ type: "EXECUTION_SUCCEEDED" } & Reported) // 11035
  | ({ type: "UNMAPPED_REPORT" } & Reported) // any other messageID
  | { type: "OMA_DM_INSTALL_SUCCEEDED" }
  | { type: "OMA_DM_INSTALL_FAILED" }
  | { type: "CLIENT_VERSION_REPORTED"; version: string };

export type JobEventType = JobEvent["type"];

export type Transition = {
  /** The job after the event (unchanged fields copied). */
  next: JobState;
  statusChanged: boolean;
  /** True when anything on the job changed and must be written. */
  changed: boolean;
  /** Why the job did not move, for the log (e.g. "job already finished"). */
  note?: string;
};

/**
 * Where a successful delivery leaves the job. OMA DM jobs say "Installed", download-link jobs
 * (including OMA DM jobs that fell back) say "Downloaded"; DME clients wait for verification
 * unless the device already runs that version (then they are verified at once).
 */
export function completedStatus(job: JobState): JobStatus {
  const viaOmaDm = job.method === "OMA_DM" && job.fallbackMethod === null;
  if (job.softwareKind === "OTHER_SOFTWARE") return viaOmaDm ? "INSTALLED" : "DOWNLOADED";
  const verified = job.deviceClientVersion !== null && job.deviceClientVersion === job.softwareVersion;
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

/**
 * A report belongs to a newer attempt when its device time is later than the newest one the
 * job has seen (or the job has seen none, e.g. it failed through OMA DM).
 */
function isNewerAttempt(job: JobState, deviceTime: Date | null): boolean {
  return deviceTime !== null && (job.statusDeviceTime === null || deviceTime > job.statusDeviceTime);
}

/** A report provably older than what the job has seen: it must not decide the outcome. */
function isOlderReport(job: JobState, deviceTime: Date | null): boolean {
  return deviceTime !== null && job.statusDeviceTime !== null && deviceTime < job.statusDeviceTime;
}

/**
 * Progress stage of the delivery, used to refuse backward moves: reports can arrive late, twice
 * or out of order, and must never undo progress. "error" is handled separately.
 */
function stage(status: JobStatus): number | "error" {
  const rank = statusRank(status);
  return rank === "error" ? "error" : Math.min(rank, 3);
}

function unchanged(job: JobState, note?: string): Transition {
  return { next: job, statusChanged: false, changed: false, note };
}

function moveTo(job: JobState, status: JobStatus, now: Date, patch: Partial<JobState> = {}): Transition {
  const next: JobState = { ...job, ...patch, status };
  // completedAt marks entry into the Installed sub-table, once.
  if (isFinished(status) && next.completedAt === null) next.completedAt = now;
  const statusChanged = status !== job.status;
  const changed = statusChanged || Object.keys(patch).length > 0;
  return { next, statusChanged, changed };
}

/** The one transition function. */
export function applyJobEvent(job: JobState, event: JobEvent, now: Date): Transition {
  switch (event.type) {
    case "BOOTSTRAP_SUCCEEDED":
      return job.status === "WAITING_FOR_BOOTSTRAP"
        ? moveTo(job, "INSTALLING_SOFTWARE", now)
        : unchanged(job, "not waiting for bootstrap");

    case "BOOTSTRAP_FAILED":
      // The manual: "If the bootstrap fails, the installation job falls back to the download
      // link installation method."
      return job.status === "WAITING_FOR_BOOTSTRAP"
        ? moveTo(job, "WAITING_FOR_DOWNLOAD", now, { fallbackMethod: event.fallbackMethod, fallbackReason: event.reason, fallbackAt: now })
        : unchanged(job, "not waiting for bootstrap");

    case "OMA_DM_INSTALL_SUCCEEDED":
      if (isDelivered(job.status)) return unchanged(job, "job already finished");
      return moveTo(job, completedStatus(job), now);

    case "OMA_DM_INSTALL_FAILED":
      if (isDelivered(job.status)) return unchanged(job, "job already finished");
      return moveTo(job, "INSTALLATION_FAILED", now);

    case "DOWNLOAD_STARTED": {
      const s = stage(job.status);
      if (s === "error") {
        // A device retrying after a failure starts a new download; a late 11030 of the failed
        // attempt must not revive the job, so only a strictly newer device time counts.
        return isNewerAttempt(job, event.deviceTime)
          ? moveTo(job, "INSTALLING_SOFTWARE", now, { statusDeviceTime: event.deviceTime })
          : unchanged(job, "report older than the job's error");
      }
      if (s === 3) return unchanged(job, "job already finished");
      if (s === 2) {
        // Already installing: remember that a newer attempt started, so a late failure report
        // of the previous attempt cannot fail this one.
        return isNewerAttempt(job, event.deviceTime)
          ? { ...moveTo(job, job.status, now, { statusDeviceTime: event.deviceTime }), note: "new download attempt" }
          : unchanged(job, "already installing");
      }
      return moveTo(job, "INSTALLING_SOFTWARE", now, { statusDeviceTime: event.deviceTime });
    }

    case "DOWNLOAD_SUCCEEDED":
    case "EXECUTION_SUCCEEDED": {
      // 11035 is recorded on the job whatever its status; when 11031 never arrived it also
      // means the download succeeded.
      const patch: Partial<JobState> =
        event.type === "EXECUTION_SUCCEEDED" && job.executedAt === null ? { executedAt: now } : {};
      if (isDelivered(job.status)) {
        return Object.keys(patch).length > 0
          ? { ...moveTo(job, job.status, now, patch), note: "job already finished" }
          : unchanged(job, "job already finished");
      }
      // A success ends the delivery even after a failure or an unknown report: the device
      // only reports success once a download really completed.
      return moveTo(job, completedStatus(job), now, { ...patch, statusDeviceTime: event.deviceTime });
    }

    case "DOWNLOAD_FAILED":
      if (isDelivered(job.status)) return unchanged(job, "job already finished");
      if (job.status === "INSTALLATION_FAILED") return unchanged(job, "already failed");
      if (isOlderReport(job, event.deviceTime)) return unchanged(job, "report older than the current attempt");
      return moveTo(job, "INSTALLATION_FAILED", now, { statusDeviceTime: event.deviceTime ?? job.statusDeviceTime });

    case "UNMAPPED_REPORT":
      // Any unfinished job, a failed one included: the device said something we cannot read,
      // and the administrator should look. Only a report older than the failure is ignored.
      if (isDelivered(job.status)) return unchanged(job, "job already finished");
      if (job.status === "UNKNOWN_STATUS") return unchanged(job, "already unknown");
      if (isOlderReport(job, event.deviceTime)) return unchanged(job, "report older than the current attempt");
      return moveTo(job, "UNKNOWN_STATUS", now, { statusDeviceTime: event.deviceTime ?? job.statusDeviceTime });

    case "CLIENT_VERSION_REPORTED": {
      const withVersion: JobState = { ...job, deviceClientVersion: event.version };
      if (!isWaitingForVerification(job.status)) return unchanged(withVersion);
      if (event.version !== job.softwareVersion)
        return unchanged(withVersion, `job installs ${job.softwareVersion}`);
      return moveTo(withVersion, verifiedStatus(job.status), now);
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

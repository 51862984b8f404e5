/**
 * What an installation-log row says happened: a code plus data, stored as such (columns `code`
 * and `data`), so that filters, exports and translations work on facts, and the wording can
 * change without rewriting history. The text an administrator reads is derived here, at display
 * time. Pure.
 */
import { messageMeaning } from "@/lib/device-protocol/status-report";
import {
  methodLabel,
  trustedDeviceTime,
  type InstallMethod,
  type JobContext,
  type JobEvent,
  type JobStatus,
  type Transition,
  type TransitionNote,
} from "@/lib/installation-jobs/status-model";

export type LogEntry =
  | { code: "JOB_CREATED"; data: { method: InstallMethod } }
  /** A device status report; its messageID, parameters and device time are columns of the row. */
  | { code: "STATUS_REPORT"; data: { note?: TransitionNote | "NO_JOB"; untrustedTime?: true } }
  | { code: "CLIENT_VERSION_REPORTED"; data: { version: string; jobVersion: string } }
  | { code: "BOOTSTRAP_SUCCEEDED"; data: Record<string, never> }
  | { code: "BOOTSTRAP_FAILED"; data: { reason: string; fallbackMethod: InstallMethod } }
  | { code: "OMA_DM_INSTALL_SUCCEEDED"; data: Record<string, never> }
  | { code: "OMA_DM_INSTALL_FAILED"; data: Record<string, never> }
  /** The device asked for the package's instructions (protocol §5.3) and got them. */
  | { code: "INSTRUCTIONS_SENT"; data: Record<string, never> }
  /** The device asked for a download location and got a link valid until expiresAt. */
  | { code: "LOCATION_SENT"; data: { expiresAt: string } }
  /** The device asked about a package it has no live job for; it was refused (job_id is null). */
  | { code: "PACKAGE_REFUSED"; data: { packageId: string; request: "InstructionRequest" | "LocationRequest" } }
  /** The package URL served its first bytes (from `start`, when resumed with Range). */
  | { code: "PACKAGE_FETCH_STARTED"; data: { start: number; size: number } }
  /** The package URL served the file's last byte. */
  | { code: "PACKAGE_FETCHED"; data: { size: number } }
  /** A package URL was opened after its link expired (410). */
  | { code: "LINK_EXPIRED"; data: { expiredAt: string } }
  | { code: "JOB_CANCELLED"; data: Record<string, never> }
  /** The SMS or WAP push with the job's link finally failed (delivery gave up or was refused). */
  | { code: "LINK_MESSAGE_FAILED"; data: { via: "SMS_PUSH" | "WAP_PUSH"; reason: string; note?: TransitionNote } }
  /** Housekeeping: no change for `days` days, so the status is unknown. */
  | { code: "JOB_STUCK"; data: { days: number } }
  /** Housekeeping: a link sent by SMS or WAP push expired without being opened. */
  | { code: "LINK_LAPSED"; data: { via: "SMS_PUSH" | "WAP_PUSH"; expiredAt: string; messageId: string } }
  /** An administrator retried the job: attempt `attempt` starts. */
  | { code: "JOB_RETRIED"; data: { attempt: number } }
  /** The job was deleted (job_id is null: the row outlives the job; package_id says what it installed). */
  | { code: "JOB_REMOVED"; data: { jobId: number } }
  /** Rows written before log entries had codes: their text, as it was stored. */
  | { code: "TEXT"; data: { text: string } };

export type LogCode = LogEntry["code"];

const NOTE_TEXT: { [N in TransitionNote | "NO_JOB"]: string } = {
  ALREADY_DELIVERED: "job already finished",
  SUPERSEDED: "a later report already decided the status",
  NOT_WAITING_FOR_BOOTSTRAP: "the job was not waiting for a bootstrap",
  NOT_WAITING_FOR_DOWNLOAD: "the job was not waiting for its download",
  CANCELLED: "the job was cancelled",
  OTHER_VERSION: "another version than the job installs",
  NOT_RETRYABLE: "only failed and unknown jobs are retried",
  EARLIER_ATTEMPT: "from before the retry: ignored until the device takes the package over again",
  NO_JOB: "no installation job for this package",
};

/** The row facts the text depends on besides code and data. */
export type DescribedRow = { messageId: string | null; statusBefore: JobStatus | null; statusAfter: JobStatus | null };

export function describeLogEntry(entry: LogEntry, row: DescribedRow): string {
  switch (entry.code) {
    case "JOB_CREATED":
      return `Installation job created (${methodLabel(entry.data.method)})`;
    case "STATUS_REPORT": {
      const notes = [entry.data.note && NOTE_TEXT[entry.data.note], entry.data.untrustedTime && "device clock not trusted for ordering"];
      const text = notes.filter(Boolean).join("; ");
      const meaning = messageMeaning(row.messageId ?? "");
      return text ? `${meaning} (${text})` : meaning;
    }
    case "CLIENT_VERSION_REPORTED":
      return row.statusBefore !== row.statusAfter
        ? `Verified: device reports client version ${entry.data.version}`
        : `Device reports client version ${entry.data.version} (job installs ${entry.data.jobVersion})`;
    case "BOOTSTRAP_SUCCEEDED":
      return "OMA DM bootstrap succeeded";
    case "BOOTSTRAP_FAILED":
      return `OMA DM bootstrap failed (${entry.data.reason}); falling back to ${methodLabel(entry.data.fallbackMethod)}`;
    case "OMA_DM_INSTALL_SUCCEEDED":
      return "OMA DM installation succeeded";
    case "OMA_DM_INSTALL_FAILED":
      return "OMA DM installation failed";
    case "INSTRUCTIONS_SENT":
      return "Instructions sent to the device";
    case "LOCATION_SENT":
      return `Download location sent (link valid until ${entry.data.expiresAt.slice(0, 19).replace("T", " ")} UTC)`;
    case "PACKAGE_REFUSED":
      return `${entry.data.request} for package ${entry.data.packageId} refused: no installation job for it on this device`;
    case "PACKAGE_FETCH_STARTED":
      return entry.data.start > 0
        ? `Package download resumed at byte ${entry.data.start.toLocaleString("en-US")} of ${entry.data.size.toLocaleString("en-US")}`
        : `Package download started (${entry.data.size.toLocaleString("en-US")} bytes)`;
    case "PACKAGE_FETCHED":
      return `Package served to its last byte (${entry.data.size.toLocaleString("en-US")} bytes)`;
    case "LINK_EXPIRED":
      return `Download link opened after it expired (${entry.data.expiredAt.slice(0, 19).replace("T", " ")} UTC)`;
    case "JOB_CANCELLED":
      return "Installation job cancelled: its package leaves the device's next poll";
    case "JOB_REMOVED":
      return `Installation job ${entry.data.jobId} removed`;
    case "JOB_RETRIED":
      return `Retried by an administrator: attempt ${entry.data.attempt}`;
    case "JOB_STUCK":
      return `No change for ${entry.data.days} days: status unknown (housekeeping)`;
    case "LINK_LAPSED":
      return `The download link sent by ${methodLabel(entry.data.via)} expired unopened (${entry.data.expiredAt.slice(0, 19).replace("T", " ")} UTC): it can be sent again from the job page`;
    case "LINK_MESSAGE_FAILED": {
      const what = `${methodLabel(entry.data.via)} with the download link not delivered (${entry.data.reason})`;
      return entry.data.note ? `${what}; ${NOTE_TEXT[entry.data.note]}` : what;
    }
    case "TEXT":
      return entry.data.text;
  }
}

/** The text of a stored row: its (code, data) pair read, then described. */
export function describeStoredEntry(code: string, data: unknown, row: DescribedRow): string {
  return describeLogEntry(toLogEntry(code, data), row);
}

/** Reads a stored (code, data) pair; an unknown code from a newer version still shows. */
export function toLogEntry(code: string, data: unknown): LogEntry {
  const known: LogCode[] = [
    "JOB_CREATED",
    "STATUS_REPORT",
    "CLIENT_VERSION_REPORTED",
    "BOOTSTRAP_SUCCEEDED",
    "BOOTSTRAP_FAILED",
    "OMA_DM_INSTALL_SUCCEEDED",
    "OMA_DM_INSTALL_FAILED",
    "INSTRUCTIONS_SENT",
    "LOCATION_SENT",
    "PACKAGE_REFUSED",
    "PACKAGE_FETCH_STARTED",
    "PACKAGE_FETCHED",
    "LINK_EXPIRED",
    "JOB_CANCELLED",
    "JOB_RETRIED",
    "JOB_REMOVED",
    "LINK_MESSAGE_FAILED",
    "JOB_STUCK",
    "LINK_LAPSED",
    "TEXT",
  ];
  return (known as string[]).includes(code) ? ({ code, data: data ?? {} } as LogEntry) : { code: "TEXT", data: { text: code } };
}

/** The log entry a job event writes: one place, so every writer of the event logs it alike. */
export function logEntryForEvent(event: JobEvent, transition: Transition, ctx: JobContext): LogEntry {
  switch (event.type) {
    case "DOWNLOAD_STARTED":
    case "DOWNLOAD_SUCCEEDED":
    case "DOWNLOAD_FAILED":
    case "EXECUTION_SUCCEEDED":
    case "UNMAPPED_REPORT": {
      const untrusted = event.report.deviceTime !== null && trustedDeviceTime(event.report) === null;
      return { code: "STATUS_REPORT", data: { ...(transition.note ? { note: transition.note } : {}), ...(untrusted ? { untrustedTime: true } : {}) } };
    }
    case "CLIENT_VERSION_REPORTED":
      return { code: "CLIENT_VERSION_REPORTED", data: { version: event.version, jobVersion: ctx.softwareVersion } };
    case "BOOTSTRAP_FAILED":
      return { code: "BOOTSTRAP_FAILED", data: { reason: event.reason, fallbackMethod: event.fallbackMethod } };
    case "BOOTSTRAP_SUCCEEDED":
    case "OMA_DM_INSTALL_SUCCEEDED":
    case "OMA_DM_INSTALL_FAILED":
    case "JOB_CANCELLED":
      return { code: event.type, data: {} };
    case "PACKAGE_FETCH_STARTED":
      return { code: "PACKAGE_FETCH_STARTED", data: { start: event.start, size: event.size } };
    case "PACKAGE_FETCHED":
      return { code: "PACKAGE_FETCHED", data: { size: event.size } };
    case "JOB_RETRIED":
      return { code: "JOB_RETRIED", data: { attempt: transition.next.attempts } };
    case "JOB_STUCK":
      return { code: "JOB_STUCK", data: { days: event.days } };
    case "LINK_MESSAGE_FAILED":
      return { code: "LINK_MESSAGE_FAILED", data: { via: event.via, reason: event.reason, ...(transition.note ? { note: transition.note } : {}) } };
    case "PACKAGE_HANDED_OVER":
      return event.request === "INSTRUCTIONS" ? { code: "INSTRUCTIONS_SENT", data: {} } : { code: "LOCATION_SENT", data: { expiresAt: event.expiresAt ?? "" } };
  }
}

/** A stored row's fields its event text depends on, as SQL reads them (`data` as JSON text). */
export type StoredEventFields = { code: string; data: string; message_id: string | null; status_before: JobStatus | null; status_after: JobStatus | null };

/** Distinct event texts one reader remembers; rows whose data is their own (a link's expiry) do not fill it for long. */
const EVENT_MEMORY = 5000;

/**
 * Event texts for many rows (an export, a text search's walk), remembered by everything they
 * depend on: a few dozen distinct texts cover most rows, so most rows cost one Map lookup.
 * One per reader, so the memory ends with it.
 */
export function eventTexts(): (r: StoredEventFields) => string {
  const known = new Map<string, string>();
  return (r) => {
    const key = `${r.code}\u0000${r.data}\u0000${r.message_id ?? ""}\u0000${r.status_before ?? ""}\u0000${r.status_after ?? ""}`;
    let text = known.get(key);
    if (text === undefined) {
      text = describeStoredEntry(r.code, JSON.parse(r.data), { messageId: r.message_id, statusBefore: r.status_before, statusAfter: r.status_after });
      if (known.size >= EVENT_MEMORY) known.clear();
      known.set(key, text);
    }
    return text;
  };
}

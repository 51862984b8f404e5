import { describe, expect, it } from "vitest";
import {
  applyJobEvent,
  compareJobsByPriority,
  completedStatus,
  initialStatus,
  JOB_STATUSES,
  statusLabel,
  statusRank,
  subTableOf,
  type JobEvent,
  type JobEventType,
  type JobState,
  type JobStatus,
} from "./status-model";

const NOW = new Date("2026-11-21T12:00:00Z");
const T0 = new Date("2002-11-25T19:43:31Z");
const T1 = new Date("2002-11-25T19:50:00Z"); // later than T0: a new attempt

function job(status: JobStatus, patch: Partial<JobState> = {}): JobState {
  return {
    status,
    method: "OMA_DM",
    fallbackMethod: null,
    fallbackReason: null,
    fallbackAt: null,
    softwareKind: "DME_CLIENT",
    softwareVersion: "2.0",
    deviceClientVersion: "1.0",
    statusDeviceTime: T0,
    completedAt: null,
    executedAt: null,
    ...patch,
  };
}

const EVENTS: { [T in JobEventType]: Extract<JobEvent, { type: T }> } = {
  BOOTSTRAP_SUCCEEDED: { type: "BOOTSTRAP_SUCCEEDED" },
  BOOTSTRAP_FAILED: { type: "BOOTSTRAP_FAILED", fallbackMethod: "MARK_FOR_INSTALLATION", reason: "timeout" },
  DOWNLOAD_STARTED: { type: "DOWNLOAD_STARTED", deviceTime: T1 },
  DOWNLOAD_SUCCEEDED: { type: "DOWNLOAD_SUCCEEDED", deviceTime: T1 },
  DOWNLOAD_FAILED: { type: "DOWNLOAD_FAILED", deviceTime: T1 },
  EXECUTION_SUCCEEDED: { type: "EXECUTION_SUCCEEDED", deviceTime: T1 },
  UNMAPPED_REPORT: { type: "UNMAPPED_REPORT", deviceTime: T1 },
  OMA_DM_INSTALL_SUCCEEDED: { type: "OMA_DM_INSTALL_SUCCEEDED" },
  OMA_DM_INSTALL_FAILED: { type: "OMA_DM_INSTALL_FAILED" },
  CLIENT_VERSION_REPORTED: { type: "CLIENT_VERSION_REPORTED", version: "2.0" },
};
const EVENT_ORDER = Object.keys(EVENTS) as JobEventType[];

// The whole transition table for an OMA DM job installing DME client 2.0 on a device that runs
// 1.0, every event newer than the one that set the status. "=" means the status stays.
// Columns: BS_OK BS_FAIL DL_START DL_OK DL_FAIL EXEC_OK UNMAPPED OMA_OK OMA_FAIL VERSION(2.0)
const W = "INSTALLED_WAITING_FOR_VERIFICATION";
const TABLE: { [S in JobStatus]: (JobStatus | "=")[] } = {
  WAITING_FOR_BOOTSTRAP: ["INSTALLING_SOFTWARE", "WAITING_FOR_DOWNLOAD", "INSTALLING_SOFTWARE", W, "INSTALLATION_FAILED", W, "UNKNOWN_STATUS", W, "INSTALLATION_FAILED", "="],
  WAITING_FOR_DOWNLOAD: ["=", "=", "INSTALLING_SOFTWARE", W, "INSTALLATION_FAILED", W, "UNKNOWN_STATUS", W, "INSTALLATION_FAILED", "="],
  INSTALLING_SOFTWARE: ["=", "=", "=", W, "INSTALLATION_FAILED", W, "UNKNOWN_STATUS", W, "INSTALLATION_FAILED", "="],
  INSTALLED_WAITING_FOR_VERIFICATION: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "INSTALLED_VERIFIED"],
  DOWNLOADED_WAITING_FOR_VERIFICATION: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "DOWNLOADED_VERIFIED"],
  INSTALLED: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  DOWNLOADED: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  INSTALLED_VERIFIED: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  DOWNLOADED_VERIFIED: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  INSTALLATION_FAILED: ["=", "=", "INSTALLING_SOFTWARE", W, "=", W, "UNKNOWN_STATUS", W, "=", "="],
  UNKNOWN_STATUS: ["=", "=", "INSTALLING_SOFTWARE", W, "INSTALLATION_FAILED", W, "=", W, "INSTALLATION_FAILED", "="],
};

describe("transition table: every (status, event) pair", () => {
  const cases = JOB_STATUSES.flatMap((status) =>
    EVENT_ORDER.map((event, i) => [status, event, TABLE[status][i]!] as const),
  );
  it.each(cases)("%s + %s -> %s", (status, event, expected) => {
    const t = applyJobEvent(job(status), EVENTS[event], NOW);
    expect(t.next.status).toBe(expected === "=" ? status : expected);
    expect(t.statusChanged).toBe(expected !== "=" && expected !== status);
  });

  it("never moves a finished job to an earlier status, whatever the event", () => {
    for (const status of JOB_STATUSES.filter((s) => subTableOf(s) === "Installed")) {
      for (const event of EVENT_ORDER) expect(applyJobEvent(job(status), EVENTS[event], NOW).next.status).toBe(status);
    }
  });
});

describe("reports arriving late or out of order", () => {
  it("a late 11030 of the failed attempt does not revive a failed job; a newer one does", () => {
    const failed = job("INSTALLATION_FAILED");
    expect(applyJobEvent(failed, { type: "DOWNLOAD_STARTED", deviceTime: T0 }, NOW).statusChanged).toBe(false);
    expect(applyJobEvent(failed, { type: "DOWNLOAD_STARTED", deviceTime: null }, NOW).statusChanged).toBe(false);
    expect(applyJobEvent(failed, { type: "DOWNLOAD_STARTED", deviceTime: T1 }, NOW).next.status).toBe("INSTALLING_SOFTWARE");
  });

  it("an 11030 arriving after 11031 leaves the job complete", () => {
    const done = applyJobEvent(job("INSTALLING_SOFTWARE", { softwareKind: "OTHER_SOFTWARE", method: "SMS_PUSH" }), EVENTS.DOWNLOAD_SUCCEEDED, NOW).next;
    expect(done.status).toBe("DOWNLOADED");
    expect(applyJobEvent(done, EVENTS.DOWNLOAD_STARTED, NOW).next.status).toBe("DOWNLOADED");
  });

  it("a late failure of an earlier attempt does not fail the retry in progress", () => {
    const T05 = new Date("2002-11-25T19:45:00Z");
    const retrying = applyJobEvent(job("INSTALLING_SOFTWARE"), { type: "DOWNLOAD_STARTED", deviceTime: T1 }, NOW);
    expect(retrying).toMatchObject({ statusChanged: false, changed: true });
    expect(retrying.next.statusDeviceTime).toEqual(T1);
    expect(applyJobEvent(retrying.next, { type: "DOWNLOAD_FAILED", deviceTime: T05 }, NOW).next.status).toBe("INSTALLING_SOFTWARE");
    expect(applyJobEvent(retrying.next, { type: "UNMAPPED_REPORT", deviceTime: T05 }, NOW).next.status).toBe("INSTALLING_SOFTWARE");
    expect(applyJobEvent(retrying.next, { type: "DOWNLOAD_FAILED", deviceTime: T1 }, NOW).next.status).toBe("INSTALLATION_FAILED");
  });

  it("a job that failed without a device time (e.g. through OMA DM) restarts on a timed 11030", () => {
    const failed = job("INSTALLATION_FAILED", { statusDeviceTime: null });
    expect(applyJobEvent(failed, { type: "DOWNLOAD_STARTED", deviceTime: T0 }, NOW).next.status).toBe("INSTALLING_SOFTWARE");
  });

  it("an older 11032 does not overwrite a newer unknown report", () => {
    const unknown = job("UNKNOWN_STATUS", { statusDeviceTime: T1 });
    expect(applyJobEvent(unknown, { type: "DOWNLOAD_FAILED", deviceTime: T0 }, NOW).statusChanged).toBe(false);
  });
});

describe("completion, verification and fallback", () => {
  it.each([
    ["OMA_DM", "OTHER_SOFTWARE", "1.0", "INSTALLED"],
    ["MARK_FOR_INSTALLATION", "OTHER_SOFTWARE", "1.0", "DOWNLOADED"],
    ["OMA_DM", "DME_CLIENT", "1.0", "INSTALLED_WAITING_FOR_VERIFICATION"],
    ["WAP_PUSH", "DME_CLIENT", "1.0", "DOWNLOADED_WAITING_FOR_VERIFICATION"],
    ["OMA_DM", "DME_CLIENT", "2.0", "INSTALLED_VERIFIED"],
    ["SMS_PUSH", "DME_CLIENT", "2.0", "DOWNLOADED_VERIFIED"],
    ["SMS_PUSH", "DME_CLIENT", null, "DOWNLOADED_WAITING_FOR_VERIFICATION"],
  ] as const)("%s / %s on a device running %s completes as %s", (method, kind, running, expected) => {
    expect(completedStatus(job("INSTALLING_SOFTWARE", { method, softwareKind: kind, deviceClientVersion: running }))).toBe(expected);
  });

  it("another reported version leaves the job waiting and says why", () => {
    const t = applyJobEvent(job("DOWNLOADED_WAITING_FOR_VERIFICATION"), { type: "CLIENT_VERSION_REPORTED", version: "1.5" }, NOW);
    expect(t.next.status).toBe("DOWNLOADED_WAITING_FOR_VERIFICATION");
    expect(t.note).toBe("job installs 2.0");
  });

  it("a failed bootstrap falls back to a download link, and the job then completes as Downloaded", () => {
    const t = applyJobEvent(job("WAITING_FOR_BOOTSTRAP", { softwareKind: "OTHER_SOFTWARE" }), EVENTS.BOOTSTRAP_FAILED, NOW);
    expect(t.next).toMatchObject({ status: "WAITING_FOR_DOWNLOAD", fallbackMethod: "MARK_FOR_INSTALLATION", fallbackReason: "timeout", fallbackAt: NOW });
    expect(applyJobEvent(t.next, EVENTS.DOWNLOAD_SUCCEEDED, NOW).next.status).toBe("DOWNLOADED");
  });

  it("sets completedAt once, on entering the Installed table", () => {
    const done = applyJobEvent(job("INSTALLING_SOFTWARE", { softwareKind: "OTHER_SOFTWARE" }), EVENTS.OMA_DM_INSTALL_SUCCEEDED, NOW).next;
    expect(done.completedAt).toEqual(NOW);
    const waiting = applyJobEvent(job("INSTALLING_SOFTWARE"), EVENTS.OMA_DM_INSTALL_SUCCEEDED, NOW).next;
    expect(waiting.completedAt).toBeNull();
    const later = new Date(NOW.getTime() + 1000);
    expect(applyJobEvent(waiting, EVENTS.CLIENT_VERSION_REPORTED, later).next.completedAt).toEqual(later);
  });

  it("records 11035 on a finished job without changing its status", () => {
    const t = applyJobEvent(job("DOWNLOADED"), EVENTS.EXECUTION_SUCCEEDED, NOW);
    expect(t).toMatchObject({ statusChanged: false, changed: true });
    expect(t.next.executedAt).toEqual(NOW);
    expect(applyJobEvent(t.next, EVENTS.EXECUTION_SUCCEEDED, NOW).changed).toBe(false);
  });

  it("starts jobs in the status their method and the device's bootstrap imply", () => {
    expect(initialStatus("OMA_DM", false)).toBe("WAITING_FOR_BOOTSTRAP");
    expect(initialStatus("OMA_DM", true)).toBe("INSTALLING_SOFTWARE");
    for (const m of ["WAP_PUSH", "SMS_PUSH", "MARK_FOR_INSTALLATION"] as const) expect(initialStatus(m, true)).toBe("WAITING_FOR_DOWNLOAD");
  });
});

describe("display texts, ranks, sub-tables and ordering", () => {
  it("uses the manual's exact texts with an en dash", () => {
    expect(JOB_STATUSES.map(statusLabel)).toEqual([
      "Waiting for bootstrap",
      "Waiting for download",
      "Installing software",
      "Installed \u2013 Waiting for verification",
      "Downloaded \u2013 Waiting for verification",
      "Installed",
      "Downloaded",
      "Installed \u2013 Verified",
      "Downloaded \u2013 Verified",
      "Installation failed",
      "Unknown status",
    ]);
    expect(JOB_STATUSES.map(statusRank)).toEqual([1, 1, 2, 3, 3, 4, 4, 5, 5, "error", "error"]);
  });

  it("orders errors first, then ranks 1-3, then verified above unverified; ties newest first", () => {
    const at = (s: JobStatus, ms: number) => ({ status: s, updatedAt: new Date(ms) });
    const sorted = [
      at("INSTALLED", 1),
      at("INSTALLING_SOFTWARE", 1),
      at("DOWNLOADED_VERIFIED", 1),
      at("WAITING_FOR_DOWNLOAD", 1),
      at("UNKNOWN_STATUS", 1),
      at("INSTALLED_WAITING_FOR_VERIFICATION", 1),
      at("INSTALLATION_FAILED", 2),
    ].sort(compareJobsByPriority);
    expect(sorted.map((j) => j.status)).toEqual([
      "INSTALLATION_FAILED",
      "UNKNOWN_STATUS",
      "WAITING_FOR_DOWNLOAD",
      "INSTALLING_SOFTWARE",
      "INSTALLED_WAITING_FOR_VERIFICATION",
      "DOWNLOADED_VERIFIED",
      "INSTALLED",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import {
  applyJobEvent,
  compareJobsByPriority,
  completedStatus,
  initialStatus,
  jobCountBucket,
  jobStateOf,
  JOB_STATES,
  JOB_STATUSES,
  statusesInState,
  statusFromLabel,
  statusLabel,
  statusRank,
  subTableOf,
  MAX_CLOCK_SKEW_MS,
  reportOrderKey,
  trustedDeviceTime,
  type DeviceReport,
  type JobContext,
  type JobEvent,
  type JobEventType,
  type JobState,
  type JobStatus,
  type ReportEventType,
} from "./status-model";
import { eventForReport } from "./report-events";

const NOW = new Date("2026-11-21T12:00:00Z");
const T0 = new Date("2002-11-25T19:43:31Z");
const T1 = new Date("2002-11-25T19:50:00Z"); // later than T0: a new attempt

const CTX: JobContext = { softwareKind: "DME_CLIENT", softwareVersion: "2.0", deviceClientVersion: "1.0" };

function report(messageId: string, deviceTime: Date | null, identity = `${messageId}@${deviceTime?.toISOString()}`, returnCode = "0"): DeviceReport {
  return { deviceTime, receivedAt: NOW, messageId, returnCode, identity };
}
const started = (t: Date | null) => eventForReport(report("11030", t));
const succeeded = (t: Date | null) => eventForReport(report("11031", t));
const failed = (t: Date | null) => eventForReport(report("11032", t));
const executed = (t: Date | null) => eventForReport(report("11035", t));
const unmapped = (t: Date | null) => eventForReport(report("99999", t));

/** A job whose status was decided by a report at T0. */
function job(status: JobStatus, patch: Partial<JobState> = {}): JobState {
  return {
    status,
    method: "OMA_DM",
    fallbackMethod: null,
    fallbackReason: null,
    fallbackAt: null,
    reportKey: reportOrderKey("DOWNLOAD_STARTED", report("11030", T0)),
    lastMessageId: "11030",
    lastReturnCode: "0",
    completedAt: null,
    executedAt: null,
    cancelledAt: null,
    attempts: 1,
    retriedAt: null,
    handedOverAt: null,
    ...patch,
  };
}

const EVENTS: { [T in JobEventType]: JobEvent } = {
  BOOTSTRAP_SUCCEEDED: { type: "BOOTSTRAP_SUCCEEDED" },
  BOOTSTRAP_FAILED: { type: "BOOTSTRAP_FAILED", fallbackMethod: "MARK_FOR_INSTALLATION", reason: "timeout" },
  DOWNLOAD_STARTED: started(T1),
  DOWNLOAD_SUCCEEDED: succeeded(T1),
  DOWNLOAD_FAILED: failed(T1),
  EXECUTION_SUCCEEDED: executed(T1),
  UNMAPPED_REPORT: unmapped(T1),
  OMA_DM_INSTALL_SUCCEEDED: { type: "OMA_DM_INSTALL_SUCCEEDED" },
  OMA_DM_INSTALL_FAILED: { type: "OMA_DM_INSTALL_FAILED" },
  CLIENT_VERSION_REPORTED: { type: "CLIENT_VERSION_REPORTED", version: "2.0" },
  PACKAGE_FETCH_STARTED: { type: "PACKAGE_FETCH_STARTED", start: 0, size: 10 },
  PACKAGE_FETCHED: { type: "PACKAGE_FETCHED", size: 10, completesDelivery: true },
  JOB_CANCELLED: { type: "JOB_CANCELLED" },
  JOB_RETRIED: { type: "JOB_RETRIED", deviceBootstrapped: false },
  PACKAGE_HANDED_OVER: { type: "PACKAGE_HANDED_OVER", request: "INSTRUCTIONS" },
  LINK_MESSAGE_FAILED: { type: "LINK_MESSAGE_FAILED", via: "SMS_PUSH", reason: "gateway refused it" },
  JOB_STUCK: { type: "JOB_STUCK", days: 14 },
};
const EVENT_ORDER = Object.keys(EVENTS) as JobEventType[];

// The whole transition table for an OMA DM job installing DME client 2.0 on a device that runs
// 1.0, every report newer than the one that set the status. "=" means the status stays.
// Columns: BS_OK BS_FAIL DL_START DL_OK DL_FAIL EXEC_OK UNMAPPED OMA_OK OMA_FAIL VERSION(2.0) FETCH_START FETCHED(link) CANCEL RETRY HANDED_OVER LINK_FAILED STUCK
const W = "INSTALLED_WAITING_FOR_VERIFICATION";
const I = "INSTALLING_SOFTWARE";
const F = "INSTALLATION_FAILED";
const TABLE: { [S in JobStatus]: (JobStatus | "=")[] } = {
  WAITING_FOR_BOOTSTRAP: [I, "WAITING_FOR_DOWNLOAD", I, W, F, W, "UNKNOWN_STATUS", W, F, "=", "=", W, "=", "=", "=", "=", "UNKNOWN_STATUS"],
  WAITING_FOR_DOWNLOAD: ["=", "=", I, W, F, W, "UNKNOWN_STATUS", W, F, "=", I, W, "=", "=", "=", F, "UNKNOWN_STATUS"],
  INSTALLING_SOFTWARE: ["=", "=", "=", W, F, W, "UNKNOWN_STATUS", W, F, "=", "=", W, "=", "=", "=", "=", "UNKNOWN_STATUS"],
  INSTALLED_WAITING_FOR_VERIFICATION: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "INSTALLED_VERIFIED", "=", "=", "=", "=", "=", "=", "="],
  DOWNLOADED_WAITING_FOR_VERIFICATION: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "DOWNLOADED_VERIFIED", "=", "=", "=", "=", "=", "=", "="],
  INSTALLED: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  DOWNLOADED: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  INSTALLED_VERIFIED: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  DOWNLOADED_VERIFIED: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  INSTALLATION_FAILED: ["=", "=", I, W, "=", W, "UNKNOWN_STATUS", W, "=", "=", "=", W, "=", "WAITING_FOR_BOOTSTRAP", "=", "=", "="],
  UNKNOWN_STATUS: ["=", "=", I, W, F, W, "=", W, F, "=", "=", W, "=", "WAITING_FOR_BOOTSTRAP", "=", "=", "="],
};

describe("transition table: every (status, event) pair", () => {
  const cases = JOB_STATUSES.flatMap((status) =>
    EVENT_ORDER.map((event, i) => [status, event, TABLE[status][i]!] as const),
  );
  it.each(cases)("%s + %s -> %s", (status, event, expected) => {
    const t = applyJobEvent(job(status), CTX, EVENTS[event], NOW);
    expect(t.next.status).toBe(expected === "=" ? status : expected);
    expect(t.statusChanged).toBe(expected !== "=" && expected !== status);
  });

  it("never moves a finished job to an earlier status, whatever the event", () => {
    for (const status of JOB_STATUSES.filter((s) => subTableOf(s) === "Installed")) {
      for (const event of EVENT_ORDER) expect(applyJobEvent(job(status), CTX, EVENTS[event], NOW).next.status).toBe(status);
    }
  });
});

/** Applies events in the given order, as the ingest does (one at a time, each on the result). */
function fold(events: JobEvent[], start: JobState = job("WAITING_FOR_DOWNLOAD", { method: "MARK_FOR_INSTALLATION", reportKey: null, lastMessageId: null, lastReturnCode: null }), ctx = CTX) {
  return events.reduce((state, e) => applyJobEvent(state, ctx, e, NOW).next, start);
}

describe("reports arriving late or out of order", () => {
  it("a late 11030 of the failed attempt does not revive a failed job; a newer one does", () => {
    const failedJob = fold([started(T0), failed(T0)]);
    expect(failedJob.status).toBe("INSTALLATION_FAILED");
    expect(applyJobEvent(failedJob, CTX, started(T0), NOW).statusChanged).toBe(false);
    expect(applyJobEvent(failedJob, CTX, started(T1), NOW).next.status).toBe("INSTALLING_SOFTWARE");
  });

  it("an 11030 arriving after 11031 leaves the job complete", () => {
    const ctx: JobContext = { ...CTX, softwareKind: "OTHER_SOFTWARE" };
    const done = fold([succeeded(T1)], job("INSTALLING_SOFTWARE", { method: "SMS_PUSH" }), ctx);
    expect(done.status).toBe("DOWNLOADED");
    expect(applyJobEvent(done, ctx, started(T1), NOW)).toMatchObject({ changed: false, note: "ALREADY_DELIVERED" });
  });

  it("a late failure of an earlier attempt does not fail the retry in progress", () => {
    const T05 = new Date("2002-11-25T19:45:00Z");
    const retrying = applyJobEvent(job("INSTALLING_SOFTWARE"), CTX, started(T1), NOW);
    expect(retrying).toMatchObject({ statusChanged: false, changed: true });
    expect(applyJobEvent(retrying.next, CTX, failed(T05), NOW)).toMatchObject({ changed: false, note: "SUPERSEDED" });
    expect(applyJobEvent(retrying.next, CTX, unmapped(T05), NOW).next.status).toBe("INSTALLING_SOFTWARE");
    expect(applyJobEvent(retrying.next, CTX, failed(T1), NOW).next.status).toBe("INSTALLATION_FAILED");
  });

  it("a job that failed without a device report (e.g. through OMA DM) restarts on any 11030", () => {
    const failedJob = job("INSTALLATION_FAILED", { reportKey: null });
    expect(applyJobEvent(failedJob, CTX, started(T0), NOW).next.status).toBe("INSTALLING_SOFTWARE");
    expect(applyJobEvent(failedJob, CTX, started(null), NOW).next.status).toBe("INSTALLING_SOFTWARE");
  });

  it("the issue's case: 11030@10:00, 11032@10:01, 11032@10:05 and a late 11030@10:03 end failed", () => {
    const at = (hm: string) => new Date(`2026-01-01T${hm}:00Z`);
    const end = fold([started(at("10:00")), failed(at("10:01")), failed(at("10:05")), started(at("10:03"))]);
    expect(end).toMatchObject({ status: "INSTALLATION_FAILED", lastMessageId: "11032" });
  });

  it("a report from a clock far in the future does not freeze the job", () => {
    const wrongClock = new Date("9999-12-31T23:59:59Z");
    const afterWrong = fold([started(wrongClock), failed(T0)]);
    expect(afterWrong.status).toBe("INSTALLATION_FAILED");
    expect(fold([failed(T0), started(wrongClock)]).status).toBe("INSTALLATION_FAILED");
    expect(fold([started(wrongClock), started(T0), succeeded(T1)]).status).toBe("DOWNLOADED_WAITING_FOR_VERIFICATION");
    // Within the skew limit a time zone ahead of the server is trusted.
    const ahead = new Date(NOW.getTime() + 14 * 60 * 60 * 1000);
    expect(trustedDeviceTime({ deviceTime: ahead, receivedAt: NOW })).toEqual(ahead);
    expect(trustedDeviceTime({ deviceTime: new Date(NOW.getTime() + MAX_CLOCK_SKEW_MS + 1000), receivedAt: NOW })).toBeNull();
  });

  it("ties at the same device time follow the order a device sends: start, unknown, failure, success, execution", () => {
    expect(fold([failed(T0), started(T0)]).status).toBe("INSTALLATION_FAILED");
    expect(fold([failed(T0), unmapped(T0)]).status).toBe("INSTALLATION_FAILED");
    expect(fold([unmapped(T0), started(T0)]).status).toBe("UNKNOWN_STATUS");
  });

  it("names the earliest success as the deciding report, whichever success arrives first", () => {
    const ctx: JobContext = { ...CTX, softwareKind: "OTHER_SOFTWARE" };
    const a = fold([executed(T1), succeeded(T0)], undefined, ctx);
    const b = fold([succeeded(T0), executed(T1)], undefined, ctx);
    expect(a).toMatchObject({ status: "DOWNLOADED", lastMessageId: "11031" });
    expect(b).toMatchObject({ status: "DOWNLOADED", lastMessageId: "11031" });
    expect(a.executedAt).toEqual(NOW);
    expect(b.executedAt).toEqual(NOW);
  });
});

describe("property: the outcome does not depend on arrival order", () => {
  // A small deterministic PRNG (mulberry32), so a failure names a seed that reproduces it.
  function rng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const MESSAGE_IDS = ["11030", "11030", "11032", "11032", "99999", "11031", "11035"];
  const TIMES = [null, new Date("9999-12-31T00:00:00Z"), ...[0, 1, 2, 3, 5, 8].map((m) => new Date(Date.UTC(2026, 0, 1, 10, m)))];

  function randomReports(next: () => number): DeviceReport[] {
    const n = 1 + Math.floor(next() * 7);
    return Array.from({ length: n }, (_, i) => {
      const messageId = MESSAGE_IDS[Math.floor(next() * MESSAGE_IDS.length)]!;
      const time = TIMES[Math.floor(next() * TIMES.length)]!;
      return report(messageId, time, `r${i}`, String(Math.floor(next() * 3)));
    });
  }
  function shuffled<T>(items: T[], next: () => number): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  const outcome = (s: JobState) => ({ ...s, completedAt: s.completedAt !== null, executedAt: s.executedAt !== null });

  it.each([
    ["Other software", { ...CTX, softwareKind: "OTHER_SOFTWARE" as const }],
    ["DME client", CTX],
  ])("%s: 2,000 random arrival orders of random report sets equal the device-time-sorted fold", (_name, ctx) => {
    const next = rng(20261201);
    for (let run = 0; run < 2000; run++) {
      const reports = randomReports(next);
      const events = reports.map(eventForReport);
      const sorted = [...events].sort((a, b) => {
        const ka = reportOrderKey(a.type as ReportEventType, (a as { report: DeviceReport }).report);
        const kb = reportOrderKey(b.type as ReportEventType, (b as { report: DeviceReport }).report);
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
      const expected = outcome(fold(sorted, undefined, ctx));
      const arrived = shuffled(events, next);
      expect(outcome(fold(arrived, undefined, ctx)), `run ${run}: ${JSON.stringify(arrived)}`).toEqual(expected);
    }
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
    expect(completedStatus(job("INSTALLING_SOFTWARE", { method }), { softwareKind: kind, softwareVersion: "2.0", deviceClientVersion: running })).toBe(expected);
  });

  it("another reported version leaves the job waiting and says why", () => {
    const t = applyJobEvent(job("DOWNLOADED_WAITING_FOR_VERIFICATION"), CTX, { type: "CLIENT_VERSION_REPORTED", version: "1.5" }, NOW);
    expect(t.next.status).toBe("DOWNLOADED_WAITING_FOR_VERIFICATION");
    expect(t.note).toBe("OTHER_VERSION");
  });

  it("a failed bootstrap falls back to a download link, and the job then completes as Downloaded", () => {
    const other: JobContext = { ...CTX, softwareKind: "OTHER_SOFTWARE" };
    const t = applyJobEvent(job("WAITING_FOR_BOOTSTRAP"), other, EVENTS.BOOTSTRAP_FAILED, NOW);
    expect(t.next).toMatchObject({ status: "WAITING_FOR_DOWNLOAD", fallbackMethod: "MARK_FOR_INSTALLATION", fallbackReason: "timeout", fallbackAt: NOW });
    expect(applyJobEvent(t.next, other, EVENTS.DOWNLOAD_SUCCEEDED, NOW).next.status).toBe("DOWNLOADED");
  });

  it("sets completedAt once, on entering the Installed table", () => {
    const done = applyJobEvent(job("INSTALLING_SOFTWARE"), { ...CTX, softwareKind: "OTHER_SOFTWARE" }, EVENTS.OMA_DM_INSTALL_SUCCEEDED, NOW).next;
    expect(done.completedAt).toEqual(NOW);
    const waiting = applyJobEvent(job("INSTALLING_SOFTWARE"), CTX, EVENTS.OMA_DM_INSTALL_SUCCEEDED, NOW).next;
    expect(waiting.completedAt).toBeNull();
    const later = new Date(NOW.getTime() + 1000);
    const verified = applyJobEvent(waiting, CTX, EVENTS.CLIENT_VERSION_REPORTED, later).next;
    expect(verified.completedAt).toEqual(later);
    // Set once: a later success report does not move it.
    expect(applyJobEvent(verified, CTX, succeeded(T1), new Date(later.getTime() + 1000)).next.completedAt).toEqual(later);
  });

  it("records 11035 on a finished job without changing its status", () => {
    const t = applyJobEvent(job("DOWNLOADED"), CTX, EVENTS.EXECUTION_SUCCEEDED, NOW);
    expect(t).toMatchObject({ statusChanged: false, changed: true });
    expect(t.next.executedAt).toEqual(NOW);
    expect(applyJobEvent(t.next, CTX, EVENTS.EXECUTION_SUCCEEDED, NOW).changed).toBe(false);
  });

  it("a package fetched through the CE client's location only logs; through a push link it completes", () => {
    const other: JobContext = { ...CTX, softwareKind: "OTHER_SOFTWARE" };
    const installing = job("INSTALLING_SOFTWARE", { method: "SMS_PUSH" });
    expect(applyJobEvent(installing, other, { type: "PACKAGE_FETCHED", size: 10, completesDelivery: false }, NOW)).toMatchObject({ changed: false });
    expect(applyJobEvent(installing, other, { type: "PACKAGE_FETCHED", size: 10, completesDelivery: true }, NOW).next.status).toBe("DOWNLOADED");
  });

  it("a cancelled job keeps its status and never moves again; a delivered one cannot be cancelled", () => {
    const t = applyJobEvent(job("INSTALLING_SOFTWARE"), CTX, EVENTS.JOB_CANCELLED, NOW);
    expect(t).toMatchObject({ changed: true, statusChanged: false, next: { status: "INSTALLING_SOFTWARE", cancelledAt: NOW } });
    for (const e of EVENT_ORDER) expect(applyJobEvent(t.next, CTX, EVENTS[e], NOW)).toMatchObject({ changed: false, note: "CANCELLED" });
    expect(applyJobEvent(job("DOWNLOADED"), CTX, EVENTS.JOB_CANCELLED, NOW)).toMatchObject({ changed: false, note: "ALREADY_DELIVERED" });
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

describe("the device list's job counters", () => {
  it("puts ranks 1-3 under installing, errors under attention, ranks 4-5 under installed", () => {
    expect(Object.fromEntries(JOB_STATUSES.map((s) => [s, jobCountBucket({ status: s, cancelledAt: null })]))).toEqual({
      WAITING_FOR_BOOTSTRAP: "installing",
      WAITING_FOR_DOWNLOAD: "installing",
      INSTALLING_SOFTWARE: "installing",
      INSTALLED_WAITING_FOR_VERIFICATION: "installing",
      DOWNLOADED_WAITING_FOR_VERIFICATION: "installing",
      INSTALLED: "installed",
      DOWNLOADED: "installed",
      INSTALLED_VERIFIED: "installed",
      DOWNLOADED_VERIFIED: "installed",
      INSTALLATION_FAILED: "attention",
      UNKNOWN_STATUS: "attention",
    });
  });

  it("counts a cancelled job nowhere, whatever status it kept", () => {
    for (const status of JOB_STATUSES) expect(jobCountBucket({ status, cancelledAt: NOW }), status).toBeNull();
  });

  it("cancelling moves a job out of its bucket; a transition inside one bucket moves nothing", () => {
    const waiting = job("WAITING_FOR_DOWNLOAD");
    const cancelled = applyJobEvent(waiting, CTX, { type: "JOB_CANCELLED" }, NOW).next;
    expect([jobCountBucket(waiting), jobCountBucket(cancelled)]).toEqual(["installing", null]);
    const installing = applyJobEvent(waiting, CTX, started(T1), NOW).next;
    expect(jobCountBucket(installing)).toBe("installing");
  });
});

describe("the library's job states (its counts and the jobs list's filter)", () => {
  it("are the counters' buckets under the library's names", () => {
    const pairs = { installing: "inProgress", attention: "failed", installed: "installed" } as const;
    for (const status of JOB_STATUSES) expect(jobStateOf(status), status).toBe(pairs[jobCountBucket({ status, cancelledAt: null })!]);
  });

  it("split the statuses: each in exactly one state", () => {
    expect(JOB_STATES.flatMap(statusesInState).sort()).toEqual([...JOB_STATUSES].sort());
    expect(statusesInState("failed")).toEqual(["INSTALLATION_FAILED", "UNKNOWN_STATUS"]);
  });

  it("find a status by its exact display text only", () => {
    for (const status of JOB_STATUSES) expect(statusFromLabel(statusLabel(status))).toBe(status);
    expect(statusFromLabel("Installed \u2013 Verified")).toBe("INSTALLED_VERIFIED");
    expect(statusFromLabel("Installed - Verified")).toBeNull();
    expect(statusFromLabel("installed")).toBeNull();
    expect(statusFromLabel("INSTALLED")).toBeNull();
  });
});

describe("Retry", () => {
  const failedJob = job("INSTALLATION_FAILED", { method: "MARK_FOR_INSTALLATION", lastMessageId: "11032", lastReturnCode: "5" });

  it("starts a failed or unknown job over by its method, counting the attempt", () => {
    const t = applyJobEvent(failedJob, CTX, { type: "JOB_RETRIED", deviceBootstrapped: false }, NOW);
    expect(t.next).toMatchObject({ status: "WAITING_FOR_DOWNLOAD", attempts: 2, retriedAt: NOW, handedOverAt: null, reportKey: null, lastMessageId: null, lastReturnCode: null });
    const oma = applyJobEvent(job("UNKNOWN_STATUS"), CTX, { type: "JOB_RETRIED", deviceBootstrapped: true }, NOW);
    expect(oma.next.status).toBe("INSTALLING_SOFTWARE");
    // An OMA DM job that already fell back retries its download link.
    const fellBack = applyJobEvent(job("INSTALLATION_FAILED", { fallbackMethod: "SMS_PUSH" }), CTX, { type: "JOB_RETRIED", deviceBootstrapped: false }, NOW);
    expect(fellBack.next.status).toBe("WAITING_FOR_DOWNLOAD");
  });

  it("refuses other jobs, and cancelled ones", () => {
    for (const status of JOB_STATUSES.filter((s) => s !== "INSTALLATION_FAILED" && s !== "UNKNOWN_STATUS")) {
      expect(applyJobEvent(job(status), CTX, { type: "JOB_RETRIED", deviceBootstrapped: false }, NOW).note).toBe("NOT_RETRYABLE");
    }
    expect(applyJobEvent({ ...failedJob, cancelledAt: T0 }, CTX, { type: "JOB_RETRIED", deviceBootstrapped: false }, NOW).changed).toBe(false);
  });

  it("ignores reports until the package is handed over again: a late 11031 of the failed attempt does not complete the new one", () => {
    const retried = applyJobEvent(failedJob, CTX, { type: "JOB_RETRIED", deviceBootstrapped: false }, NOW).next;
    const late = applyJobEvent(retried, CTX, succeeded(T0), NOW);
    expect([late.next.status, late.note]).toEqual(["WAITING_FOR_DOWNLOAD", "EARLIER_ATTEMPT"]);
    const later = new Date(NOW.getTime() + 1000);
    const handed = applyJobEvent(retried, CTX, { type: "PACKAGE_HANDED_OVER", request: "LOCATION" }, later);
    expect(handed.changed).toBe(true);
    expect(handed.next.handedOverAt).toEqual(later);
    // Once handed over, reports count again, and a second handover changes nothing.
    expect(applyJobEvent(handed.next, CTX, started(T1), later).next.status).toBe("INSTALLING_SOFTWARE");
    expect(applyJobEvent(handed.next, CTX, { type: "PACKAGE_HANDED_OVER", request: "INSTRUCTIONS" }, later).changed).toBe(false);
  });

  it("a package download after the retry is a handover too", () => {
    const retried = applyJobEvent(failedJob, CTX, { type: "JOB_RETRIED", deviceBootstrapped: false }, NOW).next;
    const fetched = applyJobEvent(retried, CTX, EVENTS.PACKAGE_FETCH_STARTED, NOW);
    expect(fetched.next).toMatchObject({ status: "INSTALLING_SOFTWARE", handedOverAt: NOW });
  });
});

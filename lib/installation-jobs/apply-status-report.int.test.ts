/**
 * Status reports end to end through the device endpoint's handler, against a real PostgreSQL
 * (DATABASE_URL). No mocks: each test makes its own device, package and job.
 */
import { afterAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/dm/route";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { headerLinesToRecord, loadSampleBody, SAMPLE_STATUS_HEADER_LINES } from "@/lib/device-protocol/fixtures";
import { createTestDevice, createTestJob, createTestSoftware, statusXml, type TestDevice } from "@/lib/testing/factories";
import { describeLogEntry, toLogEntry } from "@/lib/installation-log/entries";
import type { JobStatus } from "./status-model";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

function post(device: Pick<TestDevice, "deviceUuid" | "token"> | null, body: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { "X-Device-Action": "Status", ...extra };
  if (device) Object.assign(headers, { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token });
  return POST(new Request("http://localhost/api/dm", { method: "POST", headers, body }));
}

/** The text an administrator reads for a log row. */
function textOf(row: { code: string; data: unknown; messageId: string | null; statusBefore: JobStatus | null; statusAfter: JobStatus | null }) {
  return describeLogEntry(toLogEntry(row.code, row.data), row);
}

async function jobOf(jobId: number) {
  return db().installationJob.findUniqueOrThrow({ where: { id: jobId } });
}
async function logOf(jobId: number) {
  return db().installationLogEntry.findMany({ where: { jobId, messageId: { not: null } }, orderBy: { id: "asc" } });
}

async function setup(kind: "OTHER_SOFTWARE" | "DME_CLIENT" = "OTHER_SOFTWARE") {
  const device = await createTestDevice();
  const software = await createTestSoftware(kind);
  const job = await createTestJob(device.id, software.id);
  return { device, software, job };
}

describe("POST /api/dm, X-Device-Action: Status", () => {
  it("applies the published samples, verbatim headers and bodies, to the demo-shaped job", async () => {
    const { device, software, job } = await setup();
    // The samples' own headers, with this test's device identity swapped in.
    const headers = { ...headerLinesToRecord(SAMPLE_STATUS_HEADER_LINES), "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token };
    const body1 = loadSampleBody("status-11030").replaceAll("9A437CA5-5B17-4486-9E87-260742074A72", software.packageId);
    const r1 = await POST(new Request("http://localhost/api/dm", { method: "POST", headers, body: body1 }));
    expect([r1.status, r1.statusText]).toEqual([200, "OK"]);
    expect((await jobOf(job.id)).status).toBe("INSTALLING_SOFTWARE");

    const body2 = loadSampleBody("status-11035").replaceAll("9A437CA5-5B17-4486-9E87-260742074A72", software.packageId);
    expect((await POST(new Request("http://localhost/api/dm", { method: "POST", headers, body: body2 }))).status).toBe(200);
    const done = await jobOf(job.id);
    expect(done).toMatchObject({ status: "DOWNLOADED", lastReturnCode: "0", lastMessageId: "11035" });
    expect(done.completedAt).not.toBeNull();
    expect(done.executedAt).not.toBeNull();

    const log = await logOf(job.id);
    expect(log.map((l) => [l.messageId, l.statusBefore, l.statusAfter, l.deviceTimestamp])).toEqual([
      ["11030", "WAITING_FOR_DOWNLOAD", "INSTALLING_SOFTWARE", "2002-11-25 19:43:31"],
      ["11035", "INSTALLING_SOFTWARE", "DOWNLOADED", "2002-11-25 19:43:31"],
    ]);
    expect(log[0]!.parameters).toEqual([{ name: "Return code", value: "0" }]);
    const raw = await db().deviceMessage.findUniqueOrThrow({ where: { id: log[0]!.messageRowId! } });
    expect(raw.body).toBe(body1);
    expect(raw.headers).toMatchObject({ "x-device-auth": "[redacted]", "x-device-action": "Status" });
    const updated = await db().device.findUniqueOrThrow({ where: { id: device.id } });
    expect(updated.clientVersion).toBe("1.0");
    expect(updated.lastContactAt).not.toBeNull();
  });

  it("stores the same report sent twice once", async () => {
    const { device, software, job } = await setup();
    const body = statusXml([{ packageId: software.packageId, messageId: "11030", timestamp: "2026-01-01 10:00:00" }]);
    expect((await post(device, body)).status).toBe(200);
    expect((await post(device, body)).status).toBe(200);
    expect(await logOf(job.id)).toHaveLength(1);
    expect(await db().deviceMessage.count({ where: { deviceId: device.id } })).toBe(1);
  });

  it("never moves a job backwards when reports arrive late or out of order", async () => {
    const { device, software, job } = await setup();
    const p = software.packageId;
    await post(device, statusXml([{ packageId: p, messageId: "11031", timestamp: "2026-01-01 10:05:00" }]));
    await post(device, statusXml([{ packageId: p, messageId: "11030", timestamp: "2026-01-01 10:00:00" }]));
    await post(device, statusXml([{ packageId: p, messageId: "11032", timestamp: "2026-01-01 10:01:00", returnCode: "5" }]));
    expect((await jobOf(job.id)).status).toBe("DOWNLOADED");
    const log = await logOf(job.id);
    expect(log.map((l) => l.statusAfter)).toEqual(["DOWNLOADED", "DOWNLOADED", "DOWNLOADED"]);
  });

  it("does not let a late failure of an earlier attempt fail the retry, and leaves ignored reports out of the job", async () => {
    const { device, software, job } = await setup();
    const p = software.packageId;
    await post(device, statusXml([{ packageId: p, messageId: "11030", timestamp: "2026-01-01 10:00:00", returnCode: "1" }]));
    await post(device, statusXml([{ packageId: p, messageId: "11030", timestamp: "2026-01-01 10:05:00", returnCode: "2" }]));
    const before = await jobOf(job.id);
    await post(device, statusXml([{ packageId: p, messageId: "11032", timestamp: "2026-01-01 10:01:00", returnCode: "3" }]));
    const after = await jobOf(job.id);
    // The deciding report is the newest one: the retry's 11030.
    expect(after).toMatchObject({ status: "INSTALLING_SOFTWARE", lastReturnCode: "2" });
    expect(after.updatedAt).toEqual(before.updatedAt);
    const last = (await logOf(job.id)).at(-1)!;
    expect(last).toMatchObject({ code: "STATUS_REPORT", data: { note: "SUPERSEDED" } });
    expect(textOf(last)).toBe("Package download unsuccessful (a later report already decided the status)");
  });

  it("applies several StatusMessages of one document in order, in one transaction", async () => {
    const { device, software, job } = await setup();
    const other = await createTestSoftware();
    const otherJob = await createTestJob(device.id, other.id);
    const body = statusXml([
      { packageId: software.packageId, messageId: "11030", timestamp: "2026-01-01 10:00:00" },
      { packageId: other.packageId, messageId: "11032", timestamp: "2026-01-01 10:00:01", returnCode: "0x80004005" },
      { packageId: software.packageId, messageId: "11031", timestamp: "2026-01-01 10:00:02" },
    ]);
    expect((await post(device, body)).status).toBe(200);
    expect((await jobOf(job.id)).status).toBe("DOWNLOADED");
    expect(await jobOf(otherJob.id)).toMatchObject({ status: "INSTALLATION_FAILED", lastReturnCode: "0x80004005" });
  });

  it("gives an unfinished job Unknown status for an unknown messageID and logs it whole; a finished job keeps its status", async () => {
    const { device, software, job } = await setup();
    await post(device, statusXml([{ packageId: software.packageId, messageId: "99999", timestamp: "2026-01-01 10:00:00", returnCode: "42" }]));
    expect((await jobOf(job.id)).status).toBe("UNKNOWN_STATUS");
    const [entry] = await logOf(job.id);
    expect(entry).toMatchObject({ messageId: "99999", code: "STATUS_REPORT", parameters: [{ name: "Return code", value: "42" }] });
    expect(textOf(entry!)).toBe("Unknown message ID 99999");

    await post(device, statusXml([{ packageId: software.packageId, messageId: "11031", timestamp: "2026-01-01 10:01:00" }]));
    await post(device, statusXml([{ packageId: software.packageId, messageId: "12345", timestamp: "2026-01-01 10:02:00" }]));
    expect((await jobOf(job.id)).status).toBe("DOWNLOADED");
  });

  it("logs a report for a package the device has no job for and answers 200", async () => {
    const device = await createTestDevice();
    const res = await post(device, statusXml([{ packageId: "00000000-0000-0000-0000-0000000000AA", messageId: "11030" }]));
    expect(res.status).toBe(200);
    const rows = await db().installationLogEntry.findMany({ where: { deviceId: device.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ jobId: null, packageId: "00000000-0000-0000-0000-0000000000AA", statusAfter: null });
  });

  it("verifies a DME client at once when the device already runs that version", async () => {
    const device = await createTestDevice();
    const software = await createTestSoftware("DME_CLIENT", "2.5");
    const job = await createTestJob(device.id, software.id, "WAP_PUSH");
    await post(device, statusXml([{ packageId: software.packageId, messageId: "11031", timestamp: "2026-01-01 10:00:00" }]), {
      "X-Device-client-version": "2.5",
    });
    expect((await jobOf(job.id)).status).toBe("DOWNLOADED_VERIFIED");
  });

  it("answers 401 for missing headers, an unknown device or a wrong token, and 400 with the position for bad XML", async () => {
    const { device, software, job } = await setup();
    const good = statusXml([{ packageId: software.packageId, messageId: "11030" }]);
    expect((await post(null, good)).status).toBe(401);
    const unknown = await post({ deviceUuid: "NOPE", token: device.token }, good);
    expect([unknown.status, unknown.statusText]).toEqual([401, "Unauthorized"]);
    expect((await post({ ...device, token: "wrong" }, good)).status).toBe(401);

    const bad = await post(device, "<Status>\n<StatusMessage packageID='x' messageID='1'>\n</Status>");
    expect([bad.status, bad.statusText]).toEqual([400, "Bad Request"]);
    expect(await bad.text()).toMatch(/not well-formed XML: .*line \d+, column \d+/);
    expect((await post(device, good, { "X-Device-Action": "Dance" })).status).toBe(400);
    expect((await post(device, "<DevicePoll/>")).status).toBe(400);
    expect((await post(device, "<Status>\u0000</Status>")).status).toBe(400);
    expect((await post(device, `<Status><StatusMessage packageID="${software.packageId}" messageID="constructor"/></Status>`)).status).toBe(200);
    expect((await jobOf(job.id)).status).toBe("UNKNOWN_STATUS");
    // Nothing of the rejected requests was stored: the one log row is the accepted report's.
    expect((await logOf(job.id)).map((l) => l.messageId)).toEqual(["constructor"]);
  });

  it("matches header names case-insensitively and trims values", async () => {
    const { device, software, job } = await setup();
    const res = await POST(
      new Request("http://localhost/api/dm", {
        method: "POST",
        headers: { "x-device-uuid": ` ${device.deviceUuid} `, "X-DEVICE-AUTH": `${device.token}  `, "x-device-action": " Status" },
        body: statusXml([{ packageId: software.packageId, messageId: "11030" }]),
      }),
    );
    expect(res.status).toBe(200);
    expect((await jobOf(job.id)).status).toBe("INSTALLING_SOFTWARE");
  });

  it("leaves a job consistent after 50 concurrent reports (25 distinct, each sent twice)", async () => {
    const { device, software, job } = await setup();
    const distinct = Array.from({ length: 25 }, (_, i) =>
      statusXml([{ packageId: software.packageId, messageId: i % 5 === 4 ? "11031" : "11030", timestamp: `2026-01-01 10:00:${String(i).padStart(2, "0")}` }]),
    );
    const responses = await Promise.all([...distinct, ...distinct].map((body) => post(device, body)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const final = await jobOf(job.id);
    expect(final.status).toBe("DOWNLOADED");
    const log = await logOf(job.id);
    expect(log).toHaveLength(25);
    // The log is a consistent chain: each row starts where the previous one ended.
    for (let i = 1; i < log.length; i++) expect(log[i]!.statusBefore).toBe(log[i - 1]!.statusAfter);
    expect(log.at(-1)!.statusAfter).toBe(final.status);
    expect(log.filter((l) => l.statusBefore !== l.statusAfter).map((l) => l.statusAfter)).toEqual(
      log[0]!.messageId === "11031" ? ["DOWNLOADED"] : ["INSTALLING_SOFTWARE", "DOWNLOADED"],
    );
  });
});

describe("verification of DME-client jobs", () => {
  it("verifies a waiting job when the device later reports the job's version, and logs other versions", async () => {
    const device = await createTestDevice({ clientVersion: "1.0" });
    const software = await createTestSoftware("DME_CLIENT", "3.0");
    const job = await createTestJob(device.id, software.id, "SMS_PUSH");
    const p = software.packageId;
    await post(device, statusXml([{ packageId: p, messageId: "11031", timestamp: "2026-01-01 10:00:00" }]), { "X-Device-client-version": "1.0" });
    expect((await jobOf(job.id)).status).toBe("DOWNLOADED_WAITING_FOR_VERIFICATION");

    // Any later message carries the running version: first another one, then the job's.
    await post(device, statusXml([]), { "X-Device-client-version": "2.0" });
    expect((await jobOf(job.id)).status).toBe("DOWNLOADED_WAITING_FOR_VERIFICATION");
    await post(device, statusXml([]), { "X-Device-client-version": "3.0" });
    const verified = await jobOf(job.id);
    expect(verified.status).toBe("DOWNLOADED_VERIFIED");
    expect(verified.completedAt).not.toBeNull();
    const events = (await db().installationLogEntry.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } })).map(textOf);
    expect(events.slice(-2)).toEqual(["Device reports client version 2.0 (job installs 3.0)", "Verified: device reports client version 3.0"]);
  });
});

describe("listDeviceJobs and the devices list", () => {
  it("splits the sub-tables, drops Installed-table jobs completed more than 7 days ago, and counts per device", async () => {
    const { listDeviceJobs } = await import("./queries");
    const { applyStatusReport } = await import("./apply-status-report");
    const { parseStatusReport } = await import("@/lib/device-protocol/status-report");
    const { listDevicesPage } = await import("@/lib/devices/list-devices");
    const { DEFAULT_DEVICE_LIST } = await import("@/lib/devices/list-devices-params");
    const device = await createTestDevice();
    const [recent, old, running, failed] = await Promise.all([createTestSoftware(), createTestSoftware(), createTestSoftware(), createTestSoftware()]);
    const now = new Date();
    const day = 24 * 60 * 60 * 1000;
    // Through the real ingest, at backdated server times: 11031 completes, 11030 starts, 11032 fails.
    for (const [software, messageId, at] of [
      [recent, "11031", new Date(now.getTime() - 6 * day)],
      [old, "11031", new Date(now.getTime() - 8 * day)],
      [running, "11030", now],
      [failed, "11032", now],
    ] as const) {
      await createTestJob(device.id, software.id, "MARK_FOR_INSTALLATION", at);
      const body = statusXml([{ packageId: software.packageId, messageId, timestamp: "2026-01-01 10:00:00" }]);
      await applyStatusReport({ deviceId: device.id, report: parseStatusReport(body), rawBody: body, headers: {}, now: at });
    }
    const jobs = await listDeviceJobs(device.id, now);
    expect(jobs.installing.map((j) => j.packageId)).toEqual([failed.packageId, running.packageId]);
    expect(jobs.installed.map((j) => j.packageId)).toEqual([recent.packageId]);
    const [summary] = (await listDevicesPage({ ...DEFAULT_DEVICE_LIST, q: device.deviceUuid })).rows;
    // The counters have no 7-day window: both completed jobs count as installed.
    expect(summary).toMatchObject({ deviceUuid: device.deviceUuid, installingCount: 1, installedCount: 2, attentionCount: 1 });
  });
});

/**
 * The installation log page's data, its CSV stream and GET /api/v1/log, on the real database
 * (DATABASE_URL): rows written by the real writer (jobs created, reports posted to the device
 * endpoint), read back through every filter, page by page both ways, with a small budget, and
 * as CSV. Each test makes its own devices and software, and filters to them: the database is
 * shared with every other test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as deviceEndpoint } from "@/app/api/dm/route";
import { GET as apiLog } from "@/app/api/v1/log/route";
import { GET as consoleExport } from "@/app/(console)/log/export.csv/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/client";
import { encodeCursor } from "@/lib/db/keyset";
import { logDeviceEntry, removeJobById } from "@/lib/installation-jobs/job-writer";
import { closeSql, sql } from "@/lib/db/sql";
import { createTestBearer, createTestDevice, createTestJob, createTestSoftware, createTestUser, statusXml, type TestDevice } from "@/lib/testing/factories";
import { logCsvStream, LOG_CSV_COLUMNS } from "./log-csv";
import { listLogPage, type LogListRow } from "./list-log";
import { logListParamsOrThrow, type LogListParams } from "./list-log-params";
import { statusLabel, type JobStatus } from "@/lib/installation-jobs/status-model";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

async function report(device: TestDevice, packageId: string, messageId: string) {
  const res = await deviceEndpoint(
    new Request("http://localhost/api/dm", {
      method: "POST",
      headers: { "X-Device-Action": "Status", "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token },
      body: statusXml([{ packageId, messageId, returnCode: messageId === "11032" ? "0x80072EE7" : "0" }]),
    }),
  );
  expect(res.status).toBe(200);
}

const params = (input: Record<string, string | string[]>): LogListParams => logListParamsOrThrow(input);
const ids = (rows: LogListRow[]) => rows.map((r) => r.id);
const byIdDesc = (a: { id: bigint }, b: { id: bigint }) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Every stored row of the devices, newest first by id: what the log must show for them. */
async function storedRows(deviceIds: number[]) {
  return (await db().installationLogEntry.findMany({ where: { deviceId: { in: deviceIds } }, select: { id: true, messageId: true, statusAfter: true, receivedAt: true, jobId: true } })).sort(byIdDesc);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") record.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") record.push(field), records.push(record), (record = []), (field = ""), i++;
    else field += c;
  }
  expect(field).toBe("");
  expect(record).toEqual([]);
  return records;
}

// Device A: sw1 started, then failed. Device B (a hostile name): sw2 started, downloaded, executed.
let a: TestDevice;
let b: TestDevice;
let sw1: Awaited<ReturnType<typeof createTestSoftware>>;
let sw2: Awaited<ReturnType<typeof createTestSoftware>>;
let job1: number;
let job2: number;
let betweenAandB: Date;
let afterB: Date;
const both = () => ({ device: [a.deviceUuid, b.deviceUuid] });

beforeAll(async () => {
  a = await createTestDevice();
  b = await createTestDevice();
  b.name = `=HYPERLINK("http://x"), "B" ${b.deviceUuid.slice(0, 8)}`;
  await db().device.update({ where: { id: b.id }, data: { name: b.name } });
  sw1 = await createTestSoftware();
  sw2 = await createTestSoftware();
  job1 = (await createTestJob(a.id, sw1.id)).id;
  await report(a, sw1.packageId, "11030");
  await report(a, sw1.packageId, "11032");
  await new Promise((r) => setTimeout(r, 5));
  betweenAandB = new Date();
  await new Promise((r) => setTimeout(r, 5));
  job2 = (await createTestJob(b.id, sw2.id)).id;
  for (const m of ["11030", "11031", "11035"]) await report(b, sw2.packageId, m);
  await new Promise((r) => setTimeout(r, 5));
  afterB = new Date();
});

describe("listLogPage: filters", () => {
  it("a device by UUID or part of its name: its rows, newest first, with names and links", async () => {
    const stored = await storedRows([a.id]);
    expect(stored.map((r) => r.messageId)).toEqual(["11032", "11030", null]);
    const byUuid = await listLogPage(params({ device: a.deviceUuid }));
    expect(ids(byUuid.rows)).toEqual(stored.map((r) => r.id.toString()));
    expect(byUuid.rows[0]).toMatchObject({ deviceUuid: a.deviceUuid, deviceName: a.name, jobId: job1, softwareName: `${sw1.name} 1.0`, messageId: "11032", statusAfter: "INSTALLATION_FAILED" });
    expect(byUuid.rows[0]!.event).toBe("Package download unsuccessful");
    expect(byUuid.rows[0]!.parameters).toEqual([{ name: "Return code", value: "0x80072EE7" }]);
    expect(byUuid.rows[2]!.event).toMatch(/^Installation job created/);
    // The UUID in lower case, and a part of the name.
    expect(ids((await listLogPage(params({ device: a.deviceUuid.toLowerCase() }))).rows)).toEqual(ids(byUuid.rows));
    expect(ids((await listLogPage(params({ device: a.name.slice(-8).toLowerCase() }))).rows)).toEqual(ids(byUuid.rows));
  });

  it("several values of one filter are OR-ed, filters AND-ed", async () => {
    const stored = await storedRows([a.id, b.id]);
    expect(ids((await listLogPage(params(both()))).rows)).toEqual(stored.map((r) => r.id.toString()));
    const failed = await listLogPage(params({ ...both(), status: "Installation failed" }));
    expect(failed.rows.map((r) => [r.deviceUuid, r.messageId])).toEqual([[a.deviceUuid, "11032"]]);
    const two = await listLogPage(params({ ...both(), status: ["Installation failed", "Downloaded"] }));
    expect(two.rows.map((r) => r.messageId)).toEqual(["11035", "11031", "11032"]);
    const m = await listLogPage(params({ ...both(), messageId: ["11031", "11032"] }));
    expect(m.rows.map((r) => r.messageId)).toEqual(["11031", "11032"]);
    expect((await listLogPage(params({ ...both(), messageId: "11031", status: "Installation failed" }))).rows).toEqual([]);
  });

  it("software: the rows of its jobs (without a device filter, off the software's own index)", async () => {
    const stored = await storedRows([b.id]);
    const page = await listLogPage(params({ software: String(sw2.id) }));
    expect(ids(page.rows)).toEqual(stored.map((r) => r.id.toString()));
    expect(page.rows.every((r) => r.jobId === job2 && r.softwareName === `${sw2.name} 1.0`)).toBe(true);
    expect(ids((await listLogPage(params({ software: [String(sw1.id), String(sw2.id)] }))).rows)).toEqual((await storedRows([a.id, b.id])).map((r) => r.id.toString()));
    // With a device filter, software filters the device's rows.
    expect(ids((await listLogPage(params({ ...both(), software: String(sw1.id) }))).rows)).toEqual((await storedRows([a.id])).map((r) => r.id.toString()));
  });

  it("software: a row without a job matches the library entry its package names (a report about no job, a refused request)", async () => {
    const device = await createTestDevice();
    const software = await createTestSoftware();
    // The device writes the package id in lower case: matched as everywhere, trimmed and upper-cased.
    await report(device, software.packageId.toLowerCase(), "11030");
    await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: software.packageId, request: "InstructionRequest" } }, { deviceId: device.id, now: new Date() });
    await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: "NOT-IN-THE-LIBRARY", request: "LocationRequest" } }, { deviceId: device.id, now: new Date() });
    const stored = await storedRows([device.id]);
    expect(stored).toHaveLength(3);
    expect(stored.every((r) => r.jobId === null)).toBe(true);
    const page = await listLogPage(params({ software: String(software.id) }));
    expect(ids(page.rows)).toEqual(stored.slice(1).map((r) => r.id.toString()));
    expect(page.rows.map((r) => [r.softwareName, r.packageId])).toEqual([
      [`${software.name} 1.0`, software.packageId],
      [`${software.name} 1.0`, software.packageId.toLowerCase()],
    ]);
    // The refusal of a package the library does not have: its package, no software.
    expect((await listLogPage(params({ device: device.deviceUuid }))).rows[0]).toMatchObject({ packageId: "NOT-IN-THE-LIBRARY", softwareName: null });
  });

  it("software: a removed job's rows, its creation row too, still match its software", async () => {
    const device = await createTestDevice();
    const software = await createTestSoftware();
    const job = (await createTestJob(device.id, software.id)).id;
    await report(device, software.packageId, "11030");
    expect(await removeJobById(job, new Date())).toBe(true);
    const stored = await storedRows([device.id]);
    expect(stored).toHaveLength(3); // created, the report, removed
    expect(stored.every((r) => r.jobId === null)).toBe(true);
    for (const input of [{ software: String(software.id) }, { software: String(software.id), from: "2000-01-01T00:00" }] as Record<string, string>[]) {
      const page = await listLogPage(params(input));
      expect(ids(page.rows)).toEqual(stored.map((r) => r.id.toString()));
      expect(page.rows.every((r) => r.softwareName === `${software.name} 1.0`)).toBe(true);
    }
  });

  it("text q in the event as the log describes it, case-insensitive", async () => {
    const page = await listLogPage(params({ ...both(), q: "UNSUCCESSFUL" }));
    expect(page.rows.map((r) => r.event)).toEqual(["Package download unsuccessful"]);
    expect((await listLogPage(params({ ...both(), q: "job created" }))).rows.map((r) => r.deviceUuid)).toEqual([b.deviceUuid, a.deviceUuid]);
  });

  it("a time range, by receive time: from is inclusive, before exclusive", async () => {
    const stored = await storedRows([a.id, b.id]);
    const ofB = stored.filter((r) => r.receivedAt >= betweenAandB).sort((x, y) => y.receivedAt.getTime() - x.receivedAt.getTime() || byIdDesc(x, y));
    expect(ofB).toHaveLength(4);
    const page = await listLogPage(params({ ...both(), from: betweenAandB.toISOString(), before: afterB.toISOString() }));
    expect(ids(page.rows)).toEqual(ofB.map((r) => r.id.toString()));
    // The walk of the (received_at, id) index, without the device filter: the same rows.
    const walk = await listLogPage(params({ from: betweenAandB.toISOString(), before: afterB.toISOString(), software: [String(sw1.id), String(sw2.id)] }));
    expect(ids(walk.rows)).toEqual(ids(page.rows));
    const first = ofB[ofB.length - 1]!;
    const exact = await listLogPage(params({ ...both(), from: first.receivedAt.toISOString(), before: new Date(first.receivedAt.getTime() + 1).toISOString() }));
    expect(ids(exact.rows)).toContain(first.id.toString());
    expect((await listLogPage(params({ ...both(), before: betweenAandB.toISOString() }))).rows.every((r) => r.deviceUuid === a.deviceUuid)).toBe(true);
  });

  it("nothing for a device nobody has", async () => {
    expect(await listLogPage(params({ device: "no-such-device-zzqq" }))).toEqual({ rows: [], next: null, previous: null, partial: false });
  });
});

describe("listLogPage: keyset pages", () => {
  it.each([
    ["by id (the device lookup)", () => both()],
    ["by id (the software lookup)", () => ({ software: [String(sw1.id), String(sw2.id)] })],
    ["by receive time", () => ({ ...both(), from: "2000-01-01T00:00" })],
    ["by receive time (the walk)", () => ({ software: [String(sw1.id), String(sw2.id)], from: "2000-01-01T00:00" })],
  ])("%s: Next to the end, then Previous back, give every row once", async (_, input) => {
    const all = (await listLogPage(params(input()))).rows;
    expect(all.length).toBe(7);
    const pages: LogListRow[][] = [];
    let page = await listLogPage(params({ ...input(), limit: "2" }));
    expect(page.previous).toBeNull();
    pages.push(page.rows);
    while (page.next) {
      page = await listLogPage(params({ ...input(), limit: "2", cursor: encodeCursor(page.next) }));
      pages.push(page.rows);
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(ids(pages.flat())).toEqual(ids(all));
    const back: LogListRow[][] = [page.rows];
    while (page.previous) {
      page = await listLogPage(params({ ...input(), limit: "2", cursor: encodeCursor(page.previous) }));
      back.unshift(page.rows);
    }
    expect(back.map(ids)).toEqual(pages.map(ids));
  });

  it("with a small budget, a rare filter comes back in partial pages whose Next searches further", async () => {
    const software = await createTestSoftware();
    const device = await createTestDevice();
    const rare = (await createTestJob(device.id, software.id)).id;
    // Twelve newer rows that do not match: the walk from the newest must read past them.
    const other = await createTestSoftware();
    for (let i = 0; i < 12; i++) await createTestJob((await createTestDevice()).id, other.id);
    // Software over a time range is a filter over the walk of the range (its lookup is by id).
    // The range ends now: other tests write rows dated in the future (the rollout tests run on
    // days of their own), which a walk from the newest would read first.
    const p = params({ software: String(software.id), from: "2000-01-01T00:00", before: new Date(Date.now() + 60_000).toISOString() });
    const budget = 5;
    let page = await listLogPage(p, { budget });
    let partials = 0;
    // Newest first: pages of nothing but "searches further", until the walk reaches the job.
    for (let i = 0; page.rows.length === 0 && i < 10; i++) {
      expect(page.partial).toBe(true);
      expect(page.next).not.toBeNull();
      partials++;
      page = await listLogPage({ ...p, cursor: page.next }, { budget });
    }
    expect(partials).toBe(2); // 12 newer rows, 5 a page: the third page reaches it
    expect(page.rows.map((r) => r.jobId)).toEqual([rare]);
    expect(page.previous).not.toBeNull();
    // A full budget finds it in one page.
    const once = await listLogPage(p);
    expect(once).toMatchObject({ partial: false, next: null });
    expect(once.rows.map((r) => r.jobId)).toEqual([rare]);
  });
});

describe("the CSV stream", () => {
  it("holds a header and exactly the rows the filter shows, RFC 4180 quoted, formulas neutralised", async () => {
    const p = params(both());
    const shown = (await listLogPage(p)).rows;
    const records = parseCsv(await readAll(logCsvStream({ ...p, limit: 2 }, { chunk: 3 })));
    expect(records[0]).toEqual([...LOG_CSV_COLUMNS]);
    const rows = records.slice(1);
    expect(rows.map((r) => r[LOG_CSV_COLUMNS.indexOf("log_id")])).toEqual(ids(shown));
    const col = (name: (typeof LOG_CSV_COLUMNS)[number], r: string[]) => r[LOG_CSV_COLUMNS.indexOf(name)];
    const ofB = rows.find((r) => col("device_uuid", r) === b.deviceUuid)!;
    // The hostile name arrives as text: apostrophe first, quotes and comma intact.
    expect(col("device_name", ofB)).toBe(`'${b.name}`);
    const failed = rows.find((r) => col("message_id", r) === "11032")!;
    expect([col("event", failed), col("parameters", failed), col("status_before", failed), col("status_after", failed), col("software", failed), col("job_id", failed)]).toEqual([
      "Package download unsuccessful",
      "Return code=0x80072EE7",
      "Installing software",
      "Installation failed",
      `${sw1.name} 1.0`,
      String(job1),
    ]);
    expect(new Date(col("received_at", failed)!).toISOString()).toBe(col("received_at", failed));
  });

  it.each([
    ["a device lookup", () => both()],
    ["the software lookup", () => ({ software: [String(sw1.id), String(sw2.id)] })],
    ["a time range (keys read as text)", () => ({ ...both(), from: "2000-01-01T00:00" })],
    ["the text search", () => ({ ...both(), q: "download" })],
  ])("%s: every field as the page shows it, across chunks of two", async (_, input) => {
    const shown = (await listLogPage(params({ ...input(), limit: "200" }))).rows;
    expect(shown.length).toBeGreaterThan(2);
    const records = parseCsv(await readAll(logCsvStream(params(input()), { chunk: 2 }))).slice(1);
    const label = (s: string | null) => (s === null ? "" : statusLabel(s as JobStatus));
    expect(records).toEqual(
      shown.map((r) => [
        r.receivedAt.toISOString(),
        r.deviceUuid,
        r.deviceName.startsWith("=") ? `'${r.deviceName}` : r.deviceName,
        r.jobId === null ? "" : String(r.jobId),
        r.softwareName ?? "",
        r.packageId ?? "",
        r.messageId ?? "",
        r.event,
        r.parameters.map((x) => `${x.name}=${x.value}`).join("; "),
        label(r.statusBefore),
        label(r.statusAfter),
        r.deviceTimestamp ?? "",
        r.id,
      ]),
    );
  });

  it("reads one chunk ahead at most, lets other queries run between chunks, and stops reading when cancelled", async () => {
    const chunks: number[] = [];
    const stream = logCsvStream(params({}), { chunk: 2, onChunk: (n) => chunks.push(n) });
    const reader = stream.getReader();
    expect((await reader.read()).done).toBe(false); // the header
    expect((await reader.read()).done).toBe(false); // the first rows
    // The stream waits for its reader: the database is free (on PGlite: its one session).
    expect(await db().device.count()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    const before = chunks.length;
    expect(before).toBeLessThanOrEqual(2);
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 100));
    expect(chunks.length).toBe(before);
  });

  it("an aborted request stops the reading", async () => {
    const chunks: number[] = [];
    const abort = new AbortController();
    const reader = logCsvStream(params({}), { chunk: 2, signal: abort.signal, onChunk: (n) => chunks.push(n) }).getReader();
    await reader.read();
    await reader.read();
    abort.abort();
    await new Promise((r) => setTimeout(r, 50));
    const n = chunks.length;
    let more = 0;
    while (!(await reader.read()).done) more++;
    expect(more).toBeLessThanOrEqual(1); // the chunk already read ahead, then the end
    expect(chunks.length).toBe(n);
  });
});

describe("GET /api/v1/log and /log/export.csv", () => {
  const noParams = { params: Promise.resolve({}) };
  const get = (handler: typeof apiLog, query: string, headers: Record<string, string> = {}) => handler(new Request(`http://console.test/api/v1/log?${query}`, { headers }), noParams);

  it("401 without a token, 403 for a role without log:read, 422 for bad filters", async () => {
    expect((await get(apiLog, "")).status).toBe(401);
    const admin = await createTestUser("admin");
    const nobody = await createTestUser("readonly");
    const { token } = await createApiToken(admin.actor, { userId: nobody.id, name: "no role" });
    await db().user.update({ where: { id: nobody.id }, data: { role: null } });
    expect((await get(apiLog, "", { authorization: `Bearer ${token}` })).status).toBe(403);

    const { token: reader } = await createTestBearer("readonly");
    const auth = { authorization: `Bearer ${reader}` };
    const bad = await get(apiLog, "status=Nope&from=2026-11-31T10:00&limit=0&cursor=xyz", auth);
    expect(bad.status).toBe(422);
    const fields = ((await bad.json()) as { error: { code: string; fields: { field: string }[] } }).error;
    expect(fields.code).toBe("VALIDATION_FAILED");
    expect(fields.fields.map((f) => f.field).sort()).toEqual(["from", "limit", "status"]);
    const reversed = await get(apiLog, "from=2026-12-01T00:00&before=2026-11-01T00:00", auth);
    expect(reversed.status).toBe(422);
    expect(JSON.stringify(await reversed.json())).toMatch(/earlier than/);
    expect((await get(apiLog, `cursor=${"A".repeat(30)}`, auth)).status).toBe(422);
  });

  it("200: a JSON page with cursors, statuses as display texts; Accept: text/csv streams the rows", async () => {
    const { token } = await createTestBearer("readonly");
    const auth = { authorization: `Bearer ${token}` };
    const q = new URLSearchParams([["device", a.deviceUuid], ["device", b.deviceUuid], ["limit", "3"]]).toString();
    const res = await get(apiLog, q, auth);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { events: { id: string; device: { uuid: string }; statusAfter: string | null }[]; next: string | null; previous: string | null; partial: boolean };
    expect(body.events).toHaveLength(3);
    expect(body.events[0]).toMatchObject({ device: { uuid: b.deviceUuid }, statusAfter: "Downloaded" });
    expect(body.previous).toBeNull();
    expect(body.partial).toBe(false);
    const next = (await (await get(apiLog, `${q}&cursor=${body.next}`, auth)).json()) as typeof body;
    expect(next.events.map((e) => e.id).some((id) => body.events.some((e) => e.id === id))).toBe(false);

    const csv = await get(apiLog, q, { ...auth, accept: "text/csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="installation-log-\d{8}-\d{6}Z\.csv"$/);
    const records = parseCsv(await csv.text());
    // Every matching row, not the page: the export ignores limit and cursor.
    expect(records).toHaveLength(1 + 7);

    // The console's download, with the same filters, for a session (here: its bearer form).
    const download = await get(consoleExport, q, auth);
    expect(download.status).toBe(200);
    expect(parseCsv(await download.text())).toEqual(records);
    expect((await get(consoleExport, q)).status).toBe(401);
    expect((await get(consoleExport, "status=Nope", auth)).status).toBe(422);
  });
});

/**
 * The job writer announces every committed write of jobs and log rows, once per statement, on a
 * connection other than the listener's (on the embedded server that takes the notification
 * router). Runs on both databases.
 */
import pg from "pg";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { databaseUrl, db } from "@/lib/db/client";
import { closeSql, sql } from "@/lib/db/sql";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { applyStatusReportsIn, type StatusReportInput } from "@/lib/installation-jobs/apply-status-report";
import { logDeviceEntry, logOnlyRow, writeChanges } from "@/lib/installation-jobs/job-writer";
import { createTestDevice, createTestJob, createTestSoftware, statusXml } from "@/lib/testing/factories";
import { CHANGE_CHANNEL, changeNoticeSql, NOTIFY_PAYLOAD_LIMIT, parseChangePayload } from "./change-event";

let listener: pg.Client;
let heard: string[] = [];
beforeAll(async () => {
  listener = new pg.Client({ connectionString: databaseUrl() });
  await listener.connect();
  listener.on("notification", (n) => n.channel === CHANGE_CHANNEL && heard.push(n.payload ?? ""));
  await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
});
beforeEach(() => {
  heard = [];
});
afterAll(async () => {
  await listener.end();
  await db().$disconnect();
  await closeSql();
});

/** The notices heard once `count` have arrived (they come at the writer's commit). */
async function notices(count: number) {
  const until = Date.now() + 5000;
  while (heard.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  return heard.map(parseChangePayload);
}

const logIdsOf = async (where: { jobId?: number; deviceId?: number }) =>
  (await db().installationLogEntry.findMany({ where, select: { id: true }, orderBy: { id: "asc" } })).map((r) => Number(r.id));

it("announces a created job: its log row, device and job", async () => {
  const device = await createTestDevice();
  const software = await createTestSoftware();
  const job = await createTestJob(device.id, software.id);
  const [notice, ...more] = await notices(1);
  expect(more).toEqual([]);
  const ids = await logIdsOf({ jobId: job.id });
  expect(notice).toEqual({ logIds: ids, logRange: [ids[0], ids[0]], deviceIds: [device.id], jobIds: [job.id] });
});

it("announces a whole report batch (the group commit's one statement) in one notice", async () => {
  const devices = await Promise.all([0, 1, 2].map(() => createTestDevice()));
  const jobs: number[] = [];
  const inputs: StatusReportInput[] = [];
  for (const device of devices) {
    const software = await createTestSoftware();
    jobs.push((await createTestJob(device.id, software.id)).id);
    const body = statusXml([
      { packageId: software.packageId, messageId: "11030", timestamp: "2026-11-21 10:00:00" },
      { packageId: software.packageId, messageId: "11031", timestamp: "2026-11-21 10:01:00" },
    ]);
    inputs.push({ deviceId: device.id, report: parseStatusReport(body), rawBody: body, headers: {}, now: new Date() });
  }
  // A device with no job for what it reports: its row is logged without a job.
  const stranger = await createTestDevice();
  const body = statusXml([{ packageId: "NO-SUCH-PACKAGE", messageId: "11030" }]);
  inputs.push({ deviceId: stranger.id, report: parseStatusReport(body), rawBody: body, headers: {}, now: new Date() });
  await notices(3);
  heard = [];
  const before = Number((await db().installationLogEntry.aggregate({ _max: { id: true } }))._max.id);

  await sql().transaction((tx) => applyStatusReportsIn(tx, inputs));
  const [notice, ...more] = await notices(1);
  expect(more).toEqual([]);
  const written = await db().installationLogEntry.findMany({ where: { id: { gt: before } }, select: { id: true }, orderBy: { id: "asc" } });
  expect(written).toHaveLength(7);
  expect(notice!.logIds).toEqual(written.map((r) => Number(r.id)));
  expect([...notice!.deviceIds!].sort()).toEqual([...devices, stranger].map((d) => d.id).sort());
  expect([...notice!.jobIds!].sort()).toEqual([...jobs].sort());
});

it("announces nothing for a write that rolls back", async () => {
  const device = await createTestDevice();
  const facts = { deviceId: device.id, now: new Date() };
  await sql()
    .transaction(async (tx) => {
      await logDeviceEntry(tx, { code: "PACKAGE_REFUSED", data: { packageId: "X", request: "LocationRequest" } }, facts);
      throw new Error("changed its mind");
    })
    .catch(() => undefined);
  await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: "Y", request: "LocationRequest" } }, facts);
  const all = await notices(1);
  await new Promise((r) => setTimeout(r, 100));
  expect(heard).toHaveLength(1);
  expect(all[0]!.logIds).toEqual(await logIdsOf({ deviceId: device.id }));
});

it("keeps a big batch's notice under the NOTIFY limit: log ids give way to their range", async () => {
  const device = await createTestDevice();
  const facts = { deviceId: device.id, now: new Date() };
  const rows = Array.from({ length: 2000 }, () => logOnlyRow(null, { code: "PACKAGE_REFUSED", data: { packageId: "Z", request: "InstructionRequest" } }, facts));
  await sql().transaction((tx) => writeChanges(tx, [], rows));
  const [notice] = await notices(1);
  const ids = await logIdsOf({ deviceId: device.id });
  expect(ids).toHaveLength(2000);
  expect(notice).toEqual({ logIds: null, logRange: [ids[0], ids[1999]], deviceIds: [device.id], jobIds: [] });
});

it("chooses the longest payload that fits, down to the bare range", async () => {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    // Made-up log rows (no table), so the sizes can be pushed past the limit at will.
    const announce = (rows: number, devices: number) =>
      client.query(
        `WITH log AS (SELECT g::bigint AS id, (g % $2::int)::int AS device_id, CASE WHEN g % 2 = 0 THEN g END AS job_id FROM generate_series(1000000, 1000000 + $1::int - 1) g),
              notice AS (${changeNoticeSql("log")})
         SELECT count(*)::int AS n FROM notice`,
        [rows, devices],
      );
    expect((await announce(0, 1)).rows[0].n).toBe(0); // nothing written: nothing said
    for (const [rows, devices] of [[1, 1], [500, 3], [1200, 3], [1300, 1300], [5000, 5000]]) await announce(rows!, devices!);
    expect(await notices(5)).toHaveLength(5);
    expect(heard.every((p) => Buffer.byteLength(p) < NOTIFY_PAYLOAD_LIMIT)).toBe(true);
    const [one, listed, ranged, touchedTooLong, huge] = heard.map(parseChangePayload);
    expect(one).toEqual({ logIds: [1000000], logRange: [1000000, 1000000], deviceIds: [0], jobIds: [1000000] });
    expect(listed!.logIds).toHaveLength(500);
    expect(listed!.jobIds).toHaveLength(250);
    expect(ranged).toMatchObject({ logIds: null, logRange: [1000000, 1001199], deviceIds: expect.arrayContaining([0, 1, 2]) });
    expect(ranged!.jobIds).toHaveLength(600);
    expect(touchedTooLong).toEqual({ logIds: null, logRange: [1000000, 1001299], deviceIds: null, jobIds: null });
    expect(huge).toEqual({ logIds: null, logRange: [1000000, 1004999], deviceIds: null, jobIds: null });
  } finally {
    await client.end();
  }
});

/**
 * The change bus against a real database, in both modes: writes made through the job writer on
 * the app's pool reach a subscriber whose LISTEN (or poll) runs on the bus's own connection. Runs
 * on PostgreSQL and on the embedded PGlite (scripts/test.ts runs this tier on both).
 *
 * Times are generous: these tests ask whether an event arrives, not how fast.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl, db } from "@/lib/db/client";
import { closeSql, sql } from "@/lib/db/sql";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { applyStatusReport } from "@/lib/installation-jobs/apply-status-report";
import { logDeviceEntry } from "@/lib/installation-jobs/job-writer";
import { createTestDevice, createTestJob, createTestSoftware, statusXml } from "@/lib/testing/factories";
import { startTcpProxy } from "@/lib/testing/tcp-proxy";
import { createChangeBus, type ChangeBus, type ChangeBusOptions, type LiveMode } from "./change-bus";
import { touchesDevice, type ChangeEvent } from "./change-event";
import { changeEventStream } from "./sse";

let embedded = false;
let admin: pg.Client;
beforeAll(async () => {
  admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
  embedded = /PGlite/i.test((await admin.query<{ v: string }>("SELECT version() AS v")).rows[0]!.v);
});
const buses: ChangeBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});
afterAll(async () => {
  await admin.end();
  await db().$disconnect();
  await closeSql();
});

function bus(mode: LiveMode, extra: Partial<ChangeBusOptions> = {}): ChangeBus {
  const b = createChangeBus({ connectionString: databaseUrl(), mode, lingerMs: 0, reconnect: { initialMs: 50, maxMs: 200 }, log: () => undefined, ...extra });
  buses.push(b);
  return b;
}

/** A subscriber that keeps what it hears. */
function listen(b: ChangeBus) {
  const events: ChangeEvent[] = [];
  const unsubscribe = b.subscribe((e) => events.push(e));
  const logIds = () => events.flatMap((e) => e.logIds ?? []);
  return {
    events,
    unsubscribe,
    logIds,
    async until(test: () => boolean, ms = 5000) {
      const end = Date.now() + ms;
      while (!test() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return test();
    },
  };
}

const logIdsOfDevice = async (deviceId: number) =>
  (await db().installationLogEntry.findMany({ where: { deviceId }, select: { id: true }, orderBy: { id: "asc" } })).map((r) => Number(r.id));
const busBackends = async () =>
  embedded ? null : Number((await admin.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'deploydesk-change-bus' AND datname = current_database()")).rows[0].count);

describe.each(["notify", "poll"] as const)("%s mode", (mode) => {
  it("delivers what the job writer commits on the app's pool, within 2 s", async () => {
    // Polling twice a second, so that 2 s is generous for either mode.
    const b = bus(mode, { pollIntervalMs: 500 });
    const heard = listen(b);
    await b.whenLive();
    const device = await createTestDevice();
    const software = await createTestSoftware();
    const job = await createTestJob(device.id, software.id);
    expect(await heard.until(() => heard.events.some((e) => e.jobIds?.includes(job.id)), 2000)).toBe(true);
    const event = heard.events.find((e) => e.jobIds?.includes(job.id))!;
    expect(event.deviceIds).toEqual([device.id]);
    expect(event.logIds).toEqual(await logIdsOfDevice(device.id));

    // A device report through the group commit, as the endpoint sends it.
    const body = statusXml([{ packageId: software.packageId, messageId: "11030", timestamp: "2026-11-21 10:00:00" }]);
    await applyStatusReport({ deviceId: device.id, report: parseStatusReport(body), rawBody: body, headers: {}, now: new Date() });
    const all = await logIdsOfDevice(device.id);
    expect(await heard.until(() => all.every((id) => heard.logIds().includes(id)))).toBe(true);
    expect(heard.logIds()).toEqual(all); // each once, in commit order
    expect(b.stats()).toMatchObject({ subscribers: 1, mode, running: true, live: true, connects: 1 });
  });

  it("catches up on what was committed while its connection was down, delivering each row once", async () => {
    const proxy = await startTcpProxy(databaseUrl());
    try {
      const b = bus(mode, { connectionString: proxy.url, pollIntervalMs: 100 });
      const heard = listen(b);
      await b.whenLive();
      const device = await createTestDevice();
      const software = await createTestSoftware();
      await createTestJob(device.id, software.id);
      expect(await heard.until(() => heard.events.some((e) => e.deviceIds?.includes(device.id)))).toBe(true);

      await proxy.drop();
      expect(await heard.until(() => !b.stats().live)).toBe(true);
      // Written while the bus cannot hear: only its catch-up read can find these.
      const facts = { deviceId: device.id, now: new Date() };
      for (const packageId of ["A", "B", "C"]) await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId, request: "LocationRequest" } }, facts);
      await new Promise((r) => setTimeout(r, 300)); // a few failed reconnects
      await proxy.restore();

      const all = await logIdsOfDevice(device.id);
      expect(all).toHaveLength(4);
      expect(await heard.until(() => all.every((id) => heard.logIds().includes(id)))).toBe(true);
      // And live again: the next write arrives as before.
      await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: "D", request: "LocationRequest" } }, facts);
      const after = await logIdsOfDevice(device.id);
      expect(await heard.until(() => heard.logIds().includes(after[4]!))).toBe(true);
      expect(heard.logIds()).toEqual(after);
      expect(b.stats().connects).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
    }
  });
});

describe("poll mode and commits out of order", () => {
  // On PostgreSQL two transactions interleave: T1 takes the lower id, T2 a higher one and commits
  // first, then T1 commits. The embedded PGlite runs one transaction at a time (a second
  // connection's statement waits for the open transaction), so this cannot happen there; the
  // next test makes the same visible order on both databases by reserving an id.
  it("delivers a lower id committed after a higher one was read (PostgreSQL: two transactions)", async (ctx) => {
    if (embedded) ctx.skip();
    const b = bus("poll", { pollIntervalMs: 100 });
    const heard = listen(b);
    await b.whenLive();
    const device = await createTestDevice();
    const facts = { deviceId: device.id, now: new Date() };
    const entry = (packageId: string) => ({ code: "PACKAGE_REFUSED" as const, data: { packageId, request: "LocationRequest" as const } });

    let commitT1!: () => void;
    const t1CanCommit = new Promise<void>((resolve) => (commitT1 = resolve));
    let t1Inserted!: () => void;
    const t1HasInserted = new Promise<void>((resolve) => (t1Inserted = resolve));
    const t1 = sql().transaction(async (tx) => {
      await logDeviceEntry(tx, entry("T1"), facts);
      t1Inserted();
      await t1CanCommit;
    });
    await t1HasInserted;
    await logDeviceEntry(sql(), entry("T2"), facts); // T2: inserted second, committed first
    const [t2Id] = await logIdsOfDevice(device.id);
    expect(await heard.until(() => heard.logIds().includes(t2Id!))).toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // several polls past T2
    commitT1();
    await t1;
    const [t1Id, t2IdAgain] = await logIdsOfDevice(device.id);
    expect(t2IdAgain).toBe(t2Id);
    expect(t1Id).toBeLessThan(t2Id!);
    expect(await heard.until(() => heard.logIds().includes(t1Id!))).toBe(true);
    expect(heard.logIds().filter((id) => id === t1Id || id === t2Id)).toEqual([t2Id, t1Id]);
  });

  it("delivers a row whose lower id becomes visible after a higher one (both databases: an id reserved first)", async () => {
    const b = bus("poll", { pollIntervalMs: 100 });
    const heard = listen(b);
    await b.whenLive();
    const device = await createTestDevice();
    const [{ id: reserved }] = (await admin.query<{ id: string }>("SELECT nextval(pg_get_serial_sequence('installation_log', 'id')) AS id")).rows as [{ id: string }];
    await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: "LATER", request: "LocationRequest" } }, { deviceId: device.id, now: new Date() });
    const [higher] = await logIdsOfDevice(device.id);
    expect(await heard.until(() => heard.logIds().includes(higher!))).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    // The row for the reserved id appears now, as a late commit would. (Written directly: the
    // writer has no way to choose an id, and this row is only a stand-in for one.)
    await admin.query("INSERT INTO installation_log (id, device_id, code) VALUES ($1, $2, 'TEXT')", [reserved, device.id]);
    expect(await heard.until(() => heard.logIds().includes(Number(reserved)))).toBe(true);
    expect(heard.logIds().filter((id) => id === higher || id === Number(reserved))).toEqual([higher, Number(reserved)]);
  });
});

describe("lifecycle", () => {
  it("connects only while someone listens", async () => {
    const b = bus("notify");
    expect(b.stats()).toMatchObject({ running: false, connects: 0 });
    expect(await busBackends()).toBe(embedded ? null : 0);
    const first = listen(b);
    const second = listen(b);
    await b.whenLive();
    expect(b.stats()).toMatchObject({ subscribers: 2, running: true, live: true, connects: 1 });
    if (!embedded) expect(await busBackends()).toBe(1);
    first.unsubscribe();
    first.unsubscribe(); // twice is once
    expect(b.stats()).toMatchObject({ subscribers: 1, running: true });
    second.unsubscribe();
    expect(b.stats()).toMatchObject({ subscribers: 0, running: false, live: false });
    const gone = Date.now() + 5000;
    while (!embedded && (await busBackends()) !== 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    expect(await busBackends()).toBe(embedded ? null : 0);
    // Nothing is delivered to those who left.
    const device = await createTestDevice();
    await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: "X", request: "LocationRequest" } }, { deviceId: device.id, now: new Date() });
    await new Promise((r) => setTimeout(r, 200));
    expect([...first.events, ...second.events].some((e) => e.deviceIds?.includes(device.id))).toBe(false);
  });

  it("survives subscribers coming and going faster than it connects, and leaves no connection behind", async () => {
    const b = bus("notify");
    for (let i = 0; i < 20; i++) listen(b).unsubscribe();
    const heard = listen(b);
    await b.whenLive();
    const device = await createTestDevice();
    await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: "X", request: "LocationRequest" } }, { deviceId: device.id, now: new Date() });
    expect(await heard.until(() => heard.events.some((e) => e.deviceIds?.includes(device.id)))).toBe(true);
    expect(heard.events.filter((e) => e.deviceIds?.includes(device.id))).toHaveLength(1);
    heard.unsubscribe();
    const gone = Date.now() + 5000;
    while (!embedded && (await busBackends()) !== 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    expect(await busBackends()).toBe(embedded ? null : 0);
  });

  it("closes promptly when closed in the same turn as its first subscriber came (a stream opened just before shutdown)", async () => {
    for (const mode of ["notify", "poll"] as const) {
      const b = bus(mode);
      listen(b);
      const closed = await Promise.race([b.close().then(() => "closed"), new Promise((r) => setTimeout(() => r("still closing"), 5000))]);
      expect(closed).toBe("closed");
    }
    const gone = Date.now() + 5000;
    while (!embedded && (await busBackends()) !== 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    expect(await busBackends()).toBe(embedded ? null : 0);
  });

  it("lingers after the last subscriber, so a page navigating away and back keeps the connection", async () => {
    const b = bus("notify", { lingerMs: 400 });
    const a = listen(b);
    await b.whenLive();
    a.unsubscribe();
    expect(b.stats()).toMatchObject({ subscribers: 0, running: true });
    const again = listen(b);
    await b.whenLive();
    expect(b.stats().connects).toBe(1);
    again.unsubscribe();
    await again.until(() => !b.stats().running, 3000);
    expect(b.stats()).toMatchObject({ running: false, connects: 1 });
  });

  it("falls back to polling when LISTEN cannot be set up", async () => {
    // An empty channel name is refused by the server, as LISTEN is on a read-only standby.
    const b = bus("notify", { channel: "", pollIntervalMs: 100 });
    const heard = listen(b);
    await b.whenLive();
    expect(b.stats().mode).toBe("poll");
    const device = await createTestDevice();
    await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: "X", request: "LocationRequest" } }, { deviceId: device.id, now: new Date() });
    expect(await heard.until(() => heard.events.some((e) => e.deviceIds?.includes(device.id)))).toBe(true);
  });
});

it("streams a device's changes as server-sent events, and unsubscribes when the request ends", async () => {
  const b = bus("notify");
  const mine = await createTestDevice();
  const other = await createTestDevice();
  const abort = new AbortController();
  const response = changeEventStream(b, { signal: abort.signal, filter: (e) => touchesDevice(e, mine.id) });
  expect(b.stats().subscribers).toBe(1);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const readUntil = async (s: string) => {
    while (!text.includes(s)) text += decoder.decode((await reader.read()).value, { stream: true });
  };
  await readUntil("event: ready");
  const facts = (deviceId: number) => ({ deviceId, now: new Date() });
  await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: "OTHER", request: "LocationRequest" } }, facts(other.id));
  await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId: "MINE", request: "LocationRequest" } }, facts(mine.id));
  await readUntil("event: change");
  const [mineId] = await logIdsOfDevice(mine.id);
  const change = JSON.parse(/event: change\ndata: (.*)\n/.exec(text)![1]!) as ChangeEvent;
  expect(change).toMatchObject({ logIds: [mineId], deviceIds: [mine.id] });
  expect(text.match(/event: change/g)).toHaveLength(1); // the other device's change was filtered out
  abort.abort();
  expect(b.stats()).toMatchObject({ subscribers: 0, running: false });
});

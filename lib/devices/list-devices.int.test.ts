/**
 * The devices list against a real database: every page of every sort, walked forwards and
 * backwards, gives the same rows as one plain ORDER BY (NULLs last); each filter means what its
 * label says, alone and combined; the overdue filter in SQL agrees with the overdue badge in
 * TypeScript for every kind of per-device override. Each test's devices carry a unique word in
 * their names and are found through the search, so tests share the database.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { applyStatusReport } from "@/lib/installation-jobs/apply-status-report";
import { createTestDevice, createTestJob, createTestSoftware, statusXml } from "@/lib/testing/factories";
import { DEVICE_KEYSET, DEVICE_SORTS, parseDeviceListParams, type DeviceListParams } from "./list-devices-params";
import { listDeviceFacets, listDevicesPage, type DeviceListRow } from "./list-devices";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

const NOW = new Date("2026-11-21T12:00:00.000Z");
const HOUR = 3_600_000;

function params(input: Record<string, string | string[]>): DeviceListParams {
  const r = parseDeviceListParams(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** A word no other test's device has, to find this test's devices by. */
function token(): string {
  return `T${randomUUID().replaceAll("-", "").slice(0, 10)}`;
}

type Shape = { name: string; platform?: string | null; clientVersion?: string | null; lastPollAgoH?: number | null; lastContactAgoH?: number | null; phoneNumber?: string | null; settings?: unknown };

async function device(shape: Shape) {
  const d = await createTestDevice();
  const poll = shape.lastPollAgoH === undefined || shape.lastPollAgoH === null ? null : new Date(NOW.getTime() - shape.lastPollAgoH * HOUR);
  const contactAgo = shape.lastContactAgoH === undefined ? shape.lastPollAgoH : shape.lastContactAgoH;
  const contact = contactAgo === undefined || contactAgo === null ? null : new Date(NOW.getTime() - contactAgo * HOUR);
  await db().device.update({
    where: { id: d.id },
    data: {
      name: shape.name,
      platform: shape.platform === undefined ? "Test platform" : shape.platform,
      clientVersion: shape.clientVersion ?? null,
      phoneNumber: shape.phoneNumber ?? null,
      lastPollAt: poll,
      lastContactAt: contact,
      settings: shape.settings === undefined ? Prisma.DbNull : (shape.settings as Prisma.InputJsonValue),
    },
  });
  return d;
}

async function allPages(p: DeviceListParams, walkWindow?: number): Promise<{ forward: DeviceListRow[][]; backward: DeviceListRow[][] }> {
  const forward: DeviceListRow[][] = [];
  let page = await listDevicesPage(p, NOW, { walkWindow });
  expect(page.previous).toBeNull();
  forward.push(page.rows);
  while (page.next) {
    page = await listDevicesPage({ ...p, cursor: page.next }, NOW, { walkWindow });
    forward.push(page.rows);
  }
  const backward: DeviceListRow[][] = [page.rows];
  while (page.previous) {
    page = await listDevicesPage({ ...p, cursor: page.previous }, NOW, { walkWindow });
    backward.unshift(page.rows);
  }
  return { forward, backward };
}

const names = (rows: DeviceListRow[]) => rows.map((r) => r.name);

describe("devices list pages", () => {
  it("walks every sort both ways, forwards and backwards, in the order of one plain ORDER BY with NULLs last", async () => {
    const t = token();
    const platforms = ["Windows CE 6.0", "PocketPC 2003", null, "Windows Mobile 6.5"];
    const versions = ["2.1.4", null, "2.0.9", "2.1.4", "1.9.7"];
    // 23 devices: duplicate names and values, NULLs in every nullable sort column.
    for (let i = 0; i < 23; i++) {
      await device({
        name: `${t} ${["alpha", "bravo", "charlie", "alpha"][i % 4]} ${i % 5}`,
        platform: platforms[i % platforms.length]!,
        clientVersion: versions[i % versions.length]!,
        lastPollAgoH: i % 6 === 0 ? null : (i % 7) * 0.5,
      });
    }
    // The default window walks every page; windows of 1 and 3 rows make most pages fall back to
    // reading the rest as a set (as a filter whose matches cluster far along the order would).
    for (const [sort, dir, walkWindow] of DEVICE_SORTS.flatMap((sort) => (["asc", "desc"] as const).flatMap((dir) => [undefined, 3, 1].map((w) => [sort, dir, w] as const)))) {
      {
        const p = params({ q: t, sort, dir, limit: "4" });
        const { forward, backward } = await allPages(p, walkWindow);
        const col = Prisma.raw(DEVICE_KEYSET.columns[sort].sql);
        const order = Prisma.raw(dir === "asc" ? "ASC" : "DESC");
        const expected = await db().$queryRaw<{ id: number }[]>`SELECT d.id FROM devices d WHERE d.name LIKE ${`${t} %`} ORDER BY (${col} IS NULL), ${col} ${order}, d.id ${order}`;
        expect(forward.flat().map((r) => r.id), `${sort} ${dir}, window ${walkWindow}`).toEqual(expected.map((r) => r.id));
        expect(forward.length).toBe(6);
        expect(backward, `${sort} ${dir}, window ${walkWindow}, backwards`).toEqual(forward);
      }
    }
  });

  it("an empty result is one page with nowhere to go, and counts 0", async () => {
    const page = await listDevicesPage(params({ q: token() }), NOW);
    expect(page).toEqual({ rows: [], next: null, previous: null, total: { kind: "exact", value: 0 } });
  });
});

describe("devices list filters", () => {
  it("searches part of a name, a UUID in any case, and a phone number as typed; % and _ are literal", async () => {
    const t = token();
    const a = await device({ name: `${t} Warehouse scanner HAM-042`, phoneNumber: "+4915512345678" });
    const b = await device({ name: `${t} Route PDA 100%_x` });
    const c = await device({ name: `${t} POS terminal` });
    const search = async (q: string) => names((await listDevicesPage(params({ q }), NOW)).rows).filter((n) => n.startsWith(t));
    expect(await search(`${t} Warehouse`)).toEqual([`${t} Warehouse scanner HAM-042`]);
    expect(await search("scanner ham-04")).toContain(`${t} Warehouse scanner HAM-042`);
    expect(names((await listDevicesPage(params({ q: a.deviceUuid.slice(4, 20).toLowerCase() }), NOW)).rows)).toEqual([`${t} Warehouse scanner HAM-042`]);
    expect(names((await listDevicesPage(params({ q: `+49 155 1234-5678` }), NOW)).rows)).toContain(`${t} Warehouse scanner HAM-042`);
    expect(await search(`${t} Route PDA 100%_x`)).toEqual([`${t} Route PDA 100%_x`]);
    expect(names((await listDevicesPage(params({ q: `${t} Route PDA 100%` }), NOW)).rows)).toEqual([`${t} Route PDA 100%_x`]);
    expect(names((await listDevicesPage(params({ q: `${t} Route PDA 1_0` }), NOW)).rows)).toEqual([]);
    void b;
    void c;
  });

  it("ORs the values of one filter and ANDs the filters", async () => {
    const t = token();
    await device({ name: `${t} a`, platform: "CE A", clientVersion: "1" });
    await device({ name: `${t} b`, platform: "CE B", clientVersion: "1" });
    await device({ name: `${t} c`, platform: "CE C", clientVersion: "1" });
    await device({ name: `${t} d`, platform: "CE A", clientVersion: "2" });
    await device({ name: `${t} e`, platform: null, clientVersion: null });
    const list = async (input: Record<string, string | string[]>) => names((await listDevicesPage(params({ q: t, ...input }), NOW)).rows);
    expect(await list({ platform: ["CE A", "CE B"] })).toEqual([`${t} a`, `${t} b`, `${t} d`]);
    expect(await list({ platform: ["CE A", "CE B"], clientVersion: "1" })).toEqual([`${t} a`, `${t} b`]);
    expect(await list({ clientVersion: ["2", "1"], platform: "CE C" })).toEqual([`${t} c`]);
    const page = await listDevicesPage(params({ q: t, platform: ["CE A", "CE B"] }), NOW);
    expect(page.total).toEqual({ kind: "exact", value: 3 });
    const facets = await listDeviceFacets();
    expect(facets.platforms).toEqual(expect.arrayContaining(["CE A", "CE B", "CE C"]));
    expect(facets.platforms).toEqual([...facets.platforms].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).filter((v, i, all) => all.indexOf(v) === i));
    expect(facets.clientVersions).toEqual(expect.arrayContaining(["1", "2"]));
  });

  it("last contact: within 24 hours, 7 days, older, never; overdue after two poll intervals, a device's own interval included", async () => {
    const t = token();
    await device({ name: `${t} fresh`, lastPollAgoH: 0.5 });
    await device({ name: `${t} late`, lastPollAgoH: 1.9 }); // one missed poll: not yet overdue
    await device({ name: `${t} overdue`, lastPollAgoH: 2.5 });
    await device({ name: `${t} slow poller`, lastPollAgoH: 5, settings: { pollIntervalSeconds: 4 * 3600 } }); // polls every 4 h
    await device({ name: `${t} slow poller gone`, lastPollAgoH: 9, settings: { pollIntervalSeconds: 4 * 3600 } });
    await device({ name: `${t} bad override`, lastPollAgoH: 3, settings: { pollIntervalSeconds: "14400" } }); // ignored, as polls ignore it
    await device({ name: `${t} fraction override`, lastPollAgoH: 3, settings: { pollIntervalSeconds: 7200.5 } });
    await device({ name: `${t} tiny override`, lastPollAgoH: 3, settings: { pollIntervalSeconds: 30 } });
    await device({ name: `${t} odd settings`, lastPollAgoH: 3, settings: ["not", "an", "object"] });
    await device({ name: `${t} last week`, lastPollAgoH: 50 });
    await device({ name: `${t} reports only`, lastPollAgoH: 30, lastContactAgoH: 0.1 });
    await device({ name: `${t} old`, lastPollAgoH: 24 * 30 });
    await device({ name: `${t} never`, lastPollAgoH: null });
    const list = async (lastContact: string[]) => names((await listDevicesPage(params({ q: t, lastContact }), NOW)).rows).map((n) => n.slice(t.length + 1));

    const overdue = await list(["overdue"]);
    expect(overdue).toEqual(["bad override", "fraction override", "last week", "old", "odd settings", "overdue", "reports only", "slow poller gone", "tiny override"].sort());
    // The badge (TypeScript) says what the filter (SQL) says, for every device.
    const every = (await listDevicesPage(params({ q: t }), NOW)).rows;
    expect(every.filter((r) => r.overdue).map((r) => r.name.slice(t.length + 1))).toEqual(overdue);
    expect(every.find((r) => r.name.endsWith("slow poller"))!.pollIntervalSeconds).toBe(4 * 3600);

    expect(await list(["never"])).toEqual(["never"]);
    expect(await list(["today"])).toEqual(["bad override", "fraction override", "fresh", "late", "odd settings", "overdue", "reports only", "slow poller", "slow poller gone", "tiny override"].sort());
    expect(await list(["older"])).toEqual(["old"]);
    expect((await list(["week"])).length).toBe(11);
    expect(await list(["never", "older"])).toEqual(["never", "old"]);

    // Sorted by last contact, a last-contact range is walked as a range of the sort index
    // (and a one-row window forces every other path): the same devices either way.
    const combos = [["today"], ["week"], ["older"], ["never"], ["today", "week"], ["week", "older"], ["today", "older"], ["overdue"], ["overdue", "never"], ["today", "never"]];
    for (const lastContact of combos) {
      const byName = (await list(lastContact)).sort();
      for (const dir of ["asc", "desc"]) {
        for (const walkWindow of [undefined, 1]) {
          const rows = (await listDevicesPage(params({ q: t, lastContact, sort: "lastContact", dir }), NOW, { walkWindow })).rows;
          expect(rows.map((r) => r.name.slice(t.length + 1)).sort(), `${lastContact.join("+")} ${dir} window ${walkWindow}`).toEqual(byName);
        }
      }
    }
  });

  it("job states come from the counters: installing, needing attention, installed, none", async () => {
    const t = token();
    const software = await createTestSoftware();
    const other = await createTestSoftware();
    const idle = await device({ name: `${t} idle` });
    const waiting = await device({ name: `${t} waiting` });
    const failed = await device({ name: `${t} failed` });
    const mixed = await device({ name: `${t} mixed` });
    void idle;
    for (const d of [waiting, failed, mixed]) await createTestJob(d.id, software.id);
    await createTestJob(mixed.id, other.id);
    const report = async (deviceId: number, packageId: string, messageId: string) => {
      const body = statusXml([{ packageId, messageId, timestamp: "2026-11-20 10:00:00" }]);
      await applyStatusReport({ deviceId, report: parseStatusReport(body), rawBody: body, headers: {}, now: NOW });
    };
    await report(failed.id, software.packageId, "11032");
    await report(mixed.id, software.packageId, "11031");
    const list = async (jobState: string[]) => names((await listDevicesPage(params({ q: t, jobState }), NOW)).rows).map((n) => n.slice(t.length + 1));
    expect(await list(["installing"])).toEqual(["mixed", "waiting"]);
    expect(await list(["attention"])).toEqual(["failed"]);
    expect(await list(["installed"])).toEqual(["mixed"]);
    expect(await list(["none"])).toEqual(["idle"]);
    expect(await list(["none", "attention"])).toEqual(["failed", "idle"]);
    const rows = (await listDevicesPage(params({ q: t }), NOW)).rows;
    expect(rows.find((r) => r.name.endsWith("mixed"))).toMatchObject({ installingCount: 1, installedCount: 1, attentionCount: 0 });
  });
});

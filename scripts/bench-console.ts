/**
 * `npm run bench:console -- --database URL`: server time of the console's data calls on a
 * fleet-sized database (seed it with `npm run seed:scale`), in this process, through the same
 * functions the pages call: p50 / p95 / max over repeated runs, after warm-up runs.
 *
 *   --database URL   the database (or DATABASE_URL)      [postgresql://postgres@127.0.0.1:5432/deploydesk_scale]
 *   --runs N         measured runs per case              [30]
 *   --warmup N       unmeasured runs first               [3]
 *   --only TEXT      only the cases whose name contains TEXT (repeatable, comma-separated)
 *   --json           print the results as JSON as well
 *
 * Times are measured as of the seed's own "now" (seed:scale records it), so "overdue" and
 * "within 24 hours" select the same devices however long ago the database was seeded.
 *
 * Adding a case: push `{ name, run }` onto CASES in a group below; `run` is one call of what a
 * page does (build its parameters outside, so only the data call is timed).
 *
 * The installation log's cases (group "log page") each come with a baseline from the same run:
 * "(one statement)" is the same page as one plain query with every filter in its WHERE and the
 * planner's own plan, no budget (listLogPageUnbounded); "(no budget)" is the page's own read
 * without the budget, where the text search has no SQL form.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";

if (process.argv.includes("--help")) {
  const me = readFileSync(new URL(import.meta.url), "utf8");
  console.log(me.slice(me.indexOf("/**") + 3, me.indexOf("*/")).replace(/^ \* ?/gm, "").trim());
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    database: { type: "string", default: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/deploydesk_scale" },
    runs: { type: "string", default: "30" },
    warmup: { type: "string", default: "3" },
    only: { type: "string", multiple: true },
    json: { type: "boolean", default: false },
  },
});
const DATABASE = values.database!;
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const ONLY = (values.only ?? []).flatMap((o) => o.split(",")).filter(Boolean);
process.env.DATABASE_URL = DATABASE;

const { deployMigrations } = await import("@/lib/db/migrate");
const { db } = await import("@/lib/db/client");
const { fetchKeysetPage, segmentSql } = await import("@/lib/db/keyset");
const { Prisma } = await import("@/lib/generated/prisma/client");
const { deviceFilterSql, listDevicesPage, listDeviceFacets, serverPollInterval } = await import("@/lib/devices/list-devices");
const { resolveDeviceFilters } = await import("@/lib/devices/resolve-device-filters");
const { DEVICE_KEYSET, DEVICE_SORTS, parseDeviceListParams } = await import("@/lib/devices/list-devices-params");
type DeviceListParams = import("@/lib/devices/list-devices-params").DeviceListParams;
type DeviceSort = import("@/lib/devices/list-devices-params").DeviceSort;
type Cursor = import("@/lib/db/keyset").Cursor<DeviceSort>;

const fmt = (n: number) => n.toLocaleString("en-US");
console.log(`database: ${new URL(DATABASE).host}${new URL(DATABASE).pathname}`);
// Applies the list's index migration to a database seeded before it existed.
await deployMigrations({ databaseUrl: DATABASE, log: (line) => console.log(`migrations: ${line}`) });

const admin = new pg.Client({ connectionString: DATABASE });
await admin.connect();
const marker = (await admin.query("SELECT value FROM server_settings WHERE key = 'scale_seed'")).rows[0]?.value as { now: string } | undefined;
const NOW = marker ? new Date(marker.now) : new Date();
const sizes = (await admin.query(`SELECT (SELECT count(*) FROM devices)::int AS devices, (SELECT count(*) FROM installation_jobs)::int AS jobs,
                                         (SELECT reltuples::bigint FROM pg_class WHERE oid = 'installation_log'::regclass) AS log`)).rows[0];
console.log(`data: ${fmt(sizes.devices)} devices, ${fmt(sizes.jobs)} jobs, about ${fmt(Number(sizes.log))} log rows; as of ${NOW.toISOString()}`);
// A sample of real values to search and filter by, read once.
const sample = (await admin.query("SELECT name, device_uuid, phone_number FROM devices WHERE id = 123457")).rows[0] as { name: string; device_uuid: string; phone_number: string | null } | undefined;
await admin.end();

function params(input: Record<string, string | string[]>): DeviceListParams {
  const r = parseDeviceListParams(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/**
 * The cursor `rows` rows into an ordering, found with the app's own keyset pager (big pages of
 * (value, id) only): the position page N's Next link holds, without walking N pages of HTML.
 */
async function cursorAt(p: DeviceListParams, rows: number): Promise<Cursor> {
  const column = DEVICE_KEYSET.columns[p.sort];
  const col = Prisma.raw(column.sql);
  const where = deviceFilterSql(await resolveDeviceFilters(p), NOW, await serverPollInterval());
  let cursor: Cursor | null = null;
  for (let left = rows; left > 0; ) {
    const limit = Math.min(left, 20_000);
    type Key = { value: string | Date | null; id: number };
    const page: { next: Cursor | null } = await fetchKeysetPage<Key, DeviceSort>({
      column,
      sort: p.sort,
      dir: p.dir,
      cursor,
      limit,
      read: (segment, n) => {
        const s = segmentSql(DEVICE_KEYSET, column, segment);
        return db().$queryRaw<Key[]>`SELECT ${col} AS value, d.id FROM devices d WHERE ${where} AND ${s.where} ORDER BY ${s.orderBy} LIMIT ${n}`;
      },
      keyOf: (r) => r,
    });
    if (!page.next) throw new Error(`fewer than ${rows} devices in ${p.sort} order`);
    cursor = page.next;
    left -= limit;
  }
  return cursor!;
}

type Case = { group: string; name: string; run: () => Promise<unknown> };
const CASES: Case[] = [];
const add = (group: string, name: string, run: () => Promise<unknown>) => CASES.push({ group, name, run });

// ---- The devices list: first pages, every sort both ways.
const PAGE_5000 = 4999 * 50; // the rows before page 5,000 at 50 a page
for (const sort of DEVICE_SORTS) {
  for (const dir of ["asc", "desc"] as const) {
    const p = params({ sort, dir });
    add("devices list", `first page, ${sort} ${dir}`, () => listDevicesPage(p, NOW));
  }
}
// ---- Page 5,000: the Next link of page 4,999, and Previous from there.
const deep: { p: DeviceListParams; label: string }[] = [
  { p: params({}), label: "name asc" },
  { p: params({ sort: "lastContact" }), label: "lastContact desc" },
  { p: params({ sort: "platform", dir: "desc" }), label: "platform desc" },
  { p: params({ sort: "clientVersion" }), label: "clientVersion asc" },
];
for (const { p, label } of deep) {
  let page: DeviceListParams | null = null;
  const prepared = async () => (page ??= { ...p, cursor: await cursorAt(p, PAGE_5000) });
  add("devices list", `page 5,000, ${label}`, async () => listDevicesPage(await prepared(), NOW));
  add("devices list", `page 4,999 (Previous from 5,001), ${label}`, async () => {
    const at = await prepared();
    const next = (await listDevicesPage(at, NOW)).next!;
    return listDevicesPage({ ...at, cursor: { ...next, direction: "before" } }, NOW);
  });
}
// A real walk: 20 consecutive Next clicks from page 5,000, each timed as one run.
{
  const p = params({});
  let cursor: Cursor | null = null;
  add("devices list", "walking Next from page 5,000 (each click)", async () => {
    cursor ??= await cursorAt(p, PAGE_5000);
    const page = await listDevicesPage({ ...p, cursor }, NOW);
    cursor = page.next;
    return page;
  });
}

// ---- Filters, alone and combined (values of one filter OR-ed).
const filters: [string, Record<string, string | string[]>][] = [
  ["platform = Windows CE 6.0", { platform: "Windows CE 6.0" }],
  ["platform = 2 values", { platform: ["PocketPC 2003", "Shtrih-M Embedded"] }],
  ["client version = 1.8.2 (4 %)", { clientVersion: "1.8.2" }],
  ["last contact = overdue", { lastContact: "overdue" }],
  ["last contact = never", { lastContact: "never" }],
  ["last contact = overdue or never", { lastContact: ["overdue", "never"] }],
  ["last contact = older than 7 days, by last contact", { lastContact: "older", sort: "lastContact" }],
  ["jobs = needs attention", { jobState: "attention" }],
  ["jobs = none", { jobState: "none" }],
  ["jobs = installing + platform", { jobState: "installing", platform: "Windows Mobile 6.1" }],
  ["overdue + needs attention + platform, by last contact", { lastContact: "overdue", jobState: "attention", platform: "Windows Mobile 6.5", sort: "lastContact" }],
  ["client version 1.8.2 + overdue, by platform desc", { clientVersion: "1.8.2", lastContact: "overdue", sort: "platform", dir: "desc" }],
];
for (const [name, input] of filters) {
  const p = params(input);
  add("devices list, filtered", name, () => listDevicesPage(p, NOW));
}
{
  const p = params({ lastContact: "overdue" });
  let page: DeviceListParams | null = null;
  add("devices list, filtered", "last contact = overdue, page 200", async () => {
    page ??= { ...p, cursor: await cursorAt(p, 199 * 50) };
    return listDevicesPage(page, NOW);
  });
}

// ---- Search: a name part, a UUID part, a phone number as typed, common and rare.
const searches: [string, string][] = [
  ["search a name part, common (\"scanner\")", "scanner"],
  ["search a name part (\"scanner HAM-0\")", "scanner HAM-0"],
  ["search one device's whole name", sample?.name ?? "Warehouse scanner HAM-00001"],
  ["search a UUID part (12 hex digits, lower case)", (sample?.device_uuid ?? "ABCDEF012345").slice(10, 22).toLowerCase()],
  ["search a phone number as typed (\"+49 160 12\")", "+49 160 12"],
  ["search with no match", "zzqqxx"],
  ["search 3 characters (\"-07\")", "-07"],
];
for (const [name, q] of searches) {
  const p = params({ q });
  add("devices list, search", name, () => listDevicesPage(p, NOW));
}
{
  const p = params({ q: "scanner", sort: "lastContact" });
  add("devices list, search", "search \"scanner\", by last contact", () => listDevicesPage(p, NOW));
}

add("devices list", "filter values (platforms, client versions)", () => listDeviceFacets());

// ---- The installation log page: newest first, a bounded read per page.
const { listLogPage, listLogPageUnbounded, listLogSoftwareOptions } = await import("@/lib/installation-log/list-log");
const { parseLogListParams } = await import("@/lib/installation-log/list-log-params");
type LogListParams = import("@/lib/installation-log/list-log-params").LogListParams;
function logParams(input: Record<string, string | string[]>): LogListParams {
  const r = parseLogListParams(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
/** The cursor `rows` rows into the log's order, from the app's own pages (big ones, no filter). */
async function logCursorAt(p: LogListParams, rows: number): Promise<LogListParams["cursor"]> {
  let cursor: LogListParams["cursor"] = null;
  for (let left = rows; left > 0; ) {
    const limit = Math.min(left, 200);
    const page = await listLogPage({ ...p, cursor, limit });
    if (!page.next || page.partial) throw new Error(`fewer than ${rows} log rows in order`);
    cursor = page.next;
    left -= limit;
  }
  return cursor;
}
const scaleNow = (offsetHours: number) => new Date(NOW.getTime() + offsetHours * 3600_000).toISOString().slice(0, 16);
const logCases: [string, Record<string, string | string[]>, boolean | null][] = [
  // [name, parameters, whether SQL can express it (a one-statement baseline); null: no baseline]
  ["first page, no filter", {}, true],
  ["device: one UUID", { device: sample?.device_uuid ?? "X" }, true],
  ["device: a name part matching a few devices (\"HAM-0421\")", { device: "HAM-0421" }, true],
  ["device: a name part matching 200,000 devices (\"scanner\")", { device: "scanner" }, true],
  ["software: one of 40", { software: "7" }, true],
  ["status = Installation failed", { status: "Installation failed" }, true],
  ["status = Unknown status", { status: "Unknown status" }, true],
  ["message ID = 11032", { messageId: "11032" }, true],
  ["message ID = 11030 or 11031", { messageId: ["11030", "11031"] }, true],
  ["time range: the last 24 hours", { from: scaleNow(-24), before: scaleNow(1) }, true],
  ["time range: one day 200 days ago", { from: scaleNow(-200 * 24), before: scaleNow(-199 * 24) }, true],
  ["time range + status failed", { from: scaleNow(-7 * 24), status: "Installation failed" }, true],
  ["text: \"unsuccessful\"", { q: "unsuccessful" }, false],
  ["software + status failed + message 11032", { software: "12", status: "Installation failed", messageId: "11032" }, true],
  // Rare: few or no matches anywhere in 10M rows.
  ["rare: message ID = 99999 (unknown reports)", { messageId: "99999" }, true],
  ["rare: message ID 11032 + status Downloaded (no row)", { messageId: "11032", status: "Downloaded" }, true],
  ["rare: status Installed – Verified + software 30 (no row)", { status: "Installed - Verified", software: "30" }, true],
  // Without the budget this reads all 10M rows in code (about 70 µs a row here): no baseline.
  ["rare: text no event has (\"zzqqxx\")", { q: "zzqqxx" }, null],
];
for (const [name, input, sqlable] of logCases) {
  const p = logParams(input);
  add("log page", name, () => listLogPage(p));
  if (sqlable !== null) add("log page", sqlable ? `${name} (baseline: one statement)` : `${name} (baseline: no budget)`, () => (sqlable ? listLogPageUnbounded(p) : listLogPage(p, { budget: 1e9 })));
}
{
  const p = logParams({});
  let deep: LogListParams | null = null;
  const at = async () => (deep ??= { ...p, cursor: await logCursorAt(p, 4999 * 50) });
  add("log page", "page 5,000 (Next from page 4,999)", async () => listLogPage(await at()));
  add("log page", "page 5,000 (baseline: one statement)", async () => listLogPageUnbounded(await at()));
  const t = logParams({ from: scaleNow(-90 * 24) });
  let deepT: LogListParams | null = null;
  const atT = async () => (deepT ??= { ...t, cursor: await logCursorAt(t, 4999 * 50) });
  add("log page", "time range (90 days), page 5,000", async () => listLogPage(await atT()));
  add("log page", "time range (90 days), page 5,000 (baseline: one statement)", async () => listLogPageUnbounded(await atT()));
}
add("log page", "filter values (software)", () => listLogSoftwareOptions());

// ---------------------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const selected = CASES.filter((c) => ONLY.length === 0 || ONLY.some((o) => c.name.includes(o) || c.group.includes(o)));
const results: { group: string; name: string; p50: number; p95: number; max: number; rows: number | null; partial?: boolean }[] = [];
for (const c of selected) {
  let rows: number | null = null;
  let partial: boolean | undefined;
  for (let i = 0; i < WARMUP; i++) await c.run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const out = (await c.run()) as { rows?: unknown[]; partial?: boolean } | unknown[] | undefined;
    times.push(performance.now() - t);
    rows = Array.isArray(out) ? Math.min(out.length, 50) : Array.isArray(out?.rows) ? out.rows.length : rows;
    partial = Array.isArray(out) ? undefined : out?.partial;
  }
  times.sort((a, b) => a - b);
  const r = { group: c.group, name: c.name, p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1]!, rows, partial };
  results.push(r);
  console.log(`${`${c.group}: ${c.name}`.padEnd(78)} p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(6)} ms${rows === null ? "" : `  (${rows} rows${partial ? ", partial" : ""})`}`);
}
const worst = results.reduce((w, r) => (r.p95 > w.p95 ? r : w), results[0]!);
console.log(`\n${results.length} cases, ${RUNS} runs each after ${WARMUP} warm-up runs; worst p95 ${worst.p95.toFixed(1)} ms (${worst.name})`);
if (values.json) console.log(JSON.stringify({ database: new URL(DATABASE).pathname.slice(1), sizes, now: NOW, runs: RUNS, results }, null, 2));
await db().$disconnect();
process.exit(0);

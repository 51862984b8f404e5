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
 * The jobs list's cases run next to baselines timed in the same run: the 51 newest jobs by
 * primary key (the floor of any page read of jobs), SELECT 1 and the device page.
 *
 * The installation log's cases (group "log page") each come with a baseline from the same run:
 * "(one statement)" is the same page as one plain query with every filter in its WHERE and the
 * planner's own plan, no budget (listLogPageUnbounded); "(no budget)" is the page's own read
 * without the budget, where the text search has no SQL form.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { printHelpIfAsked } from "./lib/help";

printHelpIfAsked(import.meta.url);

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
const { deviceFilterSql, listDevicesPage, listDeviceFacets, matchingDeviceUuids, serverPollInterval } = await import("@/lib/devices/list-devices");
const { loadDevicePage } = await import("@/lib/devices/device-page");
const { resolveDeviceFilters } = await import("@/lib/devices/resolve-device-filters");
const { DEVICE_KEYSET, DEVICE_SORTS, parseDeviceListParams } = await import("@/lib/devices/list-devices-params");
const { listJobFacets, listJobsPage } = await import("@/lib/installation-jobs/list-jobs");
const { JOB_KEYSET, parseJobListParams } = await import("@/lib/installation-jobs/list-jobs-params");
type DeviceListParams = import("@/lib/devices/list-devices-params").DeviceListParams;
type DeviceSort = import("@/lib/devices/list-devices-params").DeviceSort;
type JobListParams = import("@/lib/installation-jobs/list-jobs-params").JobListParams;
type KeysetSpec = import("@/lib/db/keyset").KeysetSpec<string>;
type Cursor<S extends string> = import("@/lib/db/keyset").Cursor<S>;
type Sql = import("@/lib/generated/prisma/client").Prisma.Sql;

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

function params(input: Record<string, string | string[]>): DeviceListParams {
  const r = parseDeviceListParams(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/**
 * The cursor `rows` rows into an ordering, found with the app's own keyset pager (big pages of
 * (value, id) only): the position page N's Next link holds, without walking N pages of HTML.
 * `from` is the list's table and alias, `where` its filters (trusted SQL).
 */
async function cursorAt<S extends string>(spec: KeysetSpec, p: { sort: S; dir: "asc" | "desc" }, from: string, where: Sql, rows: number) {
  const column = spec.columns[p.sort]!;
  const col = Prisma.raw(column.sql);
  const id = Prisma.raw(spec.id.sql);
  let cursor: Cursor<S> | null = null;
  for (let left = rows; left > 0; ) {
    const limit = Math.min(left, 20_000);
    type Key = { value: string | Date | null; id: number };
    const page: { next: Cursor<S> | null } = await fetchKeysetPage<Key, S>({
      column,
      sort: p.sort,
      dir: p.dir,
      cursor,
      limit,
      read: (segment, n) => {
        const s = segmentSql(spec, column, segment);
        return db().$queryRaw<Key[]>`SELECT ${col} AS value, ${id} AS id FROM ${Prisma.raw(from)} WHERE ${where} AND ${s.where} ORDER BY ${s.orderBy} LIMIT ${n}`;
      },
      keyOf: (r) => r,
    });
    if (!page.next) throw new Error(`fewer than ${rows} rows in ${p.sort} order`);
    cursor = page.next;
    left -= limit;
  }
  return cursor!;
}
const deviceCursorAt = async (p: DeviceListParams, rows: number) =>
  cursorAt(DEVICE_KEYSET, p, "devices d", deviceFilterSql(await resolveDeviceFilters(p), NOW, await serverPollInterval()), rows);

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
  const prepared = async () => (page ??= { ...p, cursor: await deviceCursorAt(p, PAGE_5000) });
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
  let cursor: Cursor<DeviceSort> | null = null;
  add("devices list", "walking Next from page 5,000 (each click)", async () => {
    cursor ??= await deviceCursorAt(p, PAGE_5000);
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
    page ??= { ...p, cursor: await deviceCursorAt(p, 199 * 50) };
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

// ---- Groups and the install wizard's picker (filters resolved from other tables first).
{
  // Made once per database, named so a second run finds them: 1,000 members spread over the fleet, and a saved filter.
  const staticId = (
    await admin.query(
      `INSERT INTO device_groups (name, kind, member_count) VALUES ('bench static group', 'STATIC', 0)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    )
  ).rows[0].id as number;
  // Separate statements: a statement's own inserts are invisible to the rest of it.
  await admin.query("INSERT INTO device_group_members (group_id, device_id) SELECT $1, d.id FROM devices d WHERE d.id % 1000 = 7 ON CONFLICT DO NOTHING", [staticId]);
  await admin.query("UPDATE device_groups SET member_count = (SELECT count(*) FROM device_group_members WHERE group_id = $1) WHERE id = $1", [staticId]);
  const filterId = (
    await admin.query(
      `INSERT INTO device_groups (name, kind, filter) VALUES ('bench saved filter', 'FILTER', 'platform=Windows+CE+6.0&lastContact=overdue')
       ON CONFLICT (name) DO UPDATE SET filter = EXCLUDED.filter RETURNING id`,
    )
  ).rows[0].id as number;
  await admin.query("ANALYZE device_group_members");
  const top = (await admin.query("SELECT max(client_version) AS v FROM devices WHERE platform = 'Windows CE 6.0'")).rows[0].v as string;
  const cases: [string, Record<string, string | string[]>][] = [
    ["group = static group of 1,000 spread devices", { group: String(staticId) }],
    ["group = static group, by last contact", { group: String(staticId), sort: "lastContact" }],
    ["group = saved filter (platform + overdue)", { group: String(filterId) }],
    ["group = static or saved filter", { group: [String(staticId), String(filterId)] }],
    [`picker preset: platform + client below ${top}`, { platform: "Windows CE 6.0", clientBelow: top }],
    ["picker preset + hide default and test builds", { platform: "Windows CE 6.0", clientBelow: top, hide: ["default", "test"] }],
  ];
  for (const [name, input] of cases) {
    const p = params(input);
    add("devices list, groups and picker", name, () => listDevicesPage(p, NOW));
  }
  const all = params({ platform: "Windows CE 6.0" });
  add("devices list, groups and picker", "every matching device: UUIDs of the first 10,001 (platform)", async () => ({ rows: await matchingDeviceUuids(all, 10_001, NOW) }));
}

// ---- The device page: everything it reads, for the device with the most jobs, a typical one, and one never seen.
{
  const busiest = (await admin.query("SELECT d.device_uuid AS u FROM devices d ORDER BY d.installing_count + d.installed_count + d.attention_count DESC, d.id LIMIT 1")).rows[0]?.u as string | undefined;
  const never = (await admin.query("SELECT device_uuid AS u FROM devices WHERE last_contact_at IS NULL ORDER BY id LIMIT 1")).rows[0]?.u as string | undefined;
  for (const [label, uuid] of [["the device with the most jobs", busiest], ["a typical device", sample?.device_uuid], ["a device never seen", never]] as const) {
    if (uuid) add("device page", `device page, ${label}`, () => loadDevicePage(uuid, NOW));
  }
}

// ---- Baseline: the floor every case above stands on, one trivial query through the same client.
add("baseline", "SELECT 1 through Prisma", () => db().$queryRaw`SELECT 1`);

// ---- The jobs list, next to its baselines.
function jobParams(input: Record<string, string | string[]>): JobListParams {
  const r = parseJobListParams(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
add("jobs list", "baseline: the 51 newest jobs by primary key (plain SQL)", () => db().$queryRaw`SELECT * FROM installation_jobs ORDER BY id DESC LIMIT 51`);
for (const sort of ["created", "updated"] as const) {
  for (const dir of ["desc", "asc"] as const) {
    const p = jobParams({ sort, dir });
    add("jobs list", `first page, ${sort} ${dir}`, () => listJobsPage(p));
  }
}
for (const sort of ["created", "updated"] as const) {
  const p = jobParams({ sort });
  let page: JobListParams | null = null;
  const prepared = async () => (page ??= { ...p, cursor: await cursorAt(JOB_KEYSET, p, "installation_jobs j", Prisma.sql`TRUE`, PAGE_5000) });
  add("jobs list", `page 5,000, ${sort} desc`, async () => listJobsPage(await prepared()));
  add("jobs list", `page 4,999 (Previous from 5,001), ${sort} desc`, async () => {
    const at = await prepared();
    const next = (await listJobsPage(at)).next!;
    return listJobsPage({ ...at, cursor: { ...next, direction: "before" } });
  });
}
const jobFilters: [string, Record<string, string | string[]>][] = [
  ["software = one of 40", { software: "7" }],
  ["software = one, state = installed (its library count's link)", { software: "7", state: "installed" }],
  ["software = one, state = failed", { software: "7", state: "failed" }],
  ["software = one, state = in progress, by last change", { software: "7", state: "inProgress", sort: "updated" }],
  ["state = failed", { state: "failed" }],
  ["status = Waiting for bootstrap", { status: "Waiting for bootstrap" }],
  ["status = Installed \u2013 Waiting for verification", { status: "Installed \u2013 Waiting for verification" }],
  ["method = OMA DM", { method: "OMA_DM" }],
  ["method = WAP push + state = failed + 2 software", { method: "WAP_PUSH", state: "failed", software: ["3", "30"] }],
  ["device = one (its UUID)", { device: sample?.device_uuid ?? "NONE" }],
  ["batch = one (none in the seed: an empty page)", { batch: "1" }],
];
for (const [name, input] of jobFilters) {
  const p = jobParams(input);
  add("jobs list, filtered", name, () => listJobsPage(p));
}
{
  const p = jobParams({ state: "failed" });
  let page: JobListParams | null = null;
  add("jobs list, filtered", "state = failed, page 200", async () => {
    if (!page) {
      // Walked with the list itself (its filter SQL is its own): 50 pages of 199 = the rows before page 200 of 50.
      let at: JobListParams = { ...p, limit: 199 };
      for (let i = 0; i < 50; i++) at = { ...at, cursor: (await listJobsPage(at)).next };
      page = { ...at, limit: p.limit };
    }
    return listJobsPage(page);
  });
}
add("jobs list", "filter values (software)", () => listJobFacets());
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
// Open until here: the group and device-page cases read their fixtures through it while being set up.
await admin.end();
await db().$disconnect();
process.exit(0);

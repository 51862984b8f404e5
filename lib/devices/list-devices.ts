/**
 * The devices list at fleet scale: one page of devices for parsed list parameters
 * (list-devices-params.ts), read by keyset (lib/db/keyset.ts) off an index on (sort column, id),
 * with the job counters the job writer keeps on each device row, so no job is counted on a
 * view. Plain objects out, dates as ISO strings (the table renders on the client too).
 *
 * Indexes (migrations device_list_indexes, device_list_filter_indexes): (name, id),
 * (last_contact_at, id), (platform, id), (client_version, id) for the sorts and their keyset
 * ranges; trigram GIN indexes on name, device_uuid and phone_number for the search;
 * last_poll_at (and, partial, that of devices with their own settings) for "overdue"; partial
 * indexes of devices with installing or failed jobs. Filters on one field are OR-ed, fields
 * AND-ed. A filtered page first walks a bounded window of the sort index (fast when matches
 * are spread out), then reads the rest as a set through the filters' own indexes
 * (`filteredSegmentReader`), so a filter whose matches cluster at the far end of the order
 * costs what its matches cost, not what the table costs.
 */
import { db } from "@/lib/db/client";
import { fetchKeysetPage, filteredSegmentReader, type Cursor } from "@/lib/db/keyset";
import { Prisma } from "@/lib/generated/prisma/client";
import { effectiveDeviceSettings, isOverdue, MAX_SECONDS, MIN_INTERVAL_SECONDS, OVERDUE_AFTER_INTERVALS } from "@/lib/settings/device-settings";
import { distinctDeviceValues } from "./distinct-values";
import { onBuildSql, resolveDeviceFilters, type ResolvedDeviceFilter, type ResolvedGroup } from "./resolve-device-filters";
import { DEVICE_KEYSET, hasFilters, type DeviceListParams, type DeviceSort, type JobStateFilter, type LastContactFilter } from "./list-devices-params";

export type DeviceListRow = {
  id: number;
  deviceUuid: string;
  name: string;
  platform: string | null;
  clientVersion: string | null;
  phoneNumber: string | null;
  lastContactAt: string | null;
  lastPollAt: string | null;
  /** The device's effective poll interval: the server's, or its own override. */
  pollIntervalSeconds: number;
  overdue: boolean;
  installingCount: number;
  installedCount: number;
  attentionCount: number;
};

/**
 * How many devices match, as far as it is cheap to know: `exact` below the cap, `atLeast` the
 * cap, `about` the planner's estimate for the whole fleet. An exact count of a million rows
 * reads every row of an index (tens to hundreds of milliseconds, on every view, and more under
 * write load): more than the whole page may cost, for a number nobody needs exactly. The cap is
 * 1,000, not 10,000: counting to the cap reads cap / density rows, so a filter matching 1 device
 * in 20 reads 20,000 rows (a few ms) instead of 200,000 (tens of ms).
 */
export type DeviceTotal = { kind: "exact" | "atLeast" | "about"; value: number };
export const COUNT_CAP = 1000;

export type DeviceListPage = {
  rows: DeviceListRow[];
  next: Cursor<DeviceSort> | null;
  previous: Cursor<DeviceSort> | null;
  total: DeviceTotal;
};

type StoredRow = Omit<DeviceListRow, "lastContactAt" | "lastPollAt" | "pollIntervalSeconds" | "overdue"> & {
  lastContactAt: Date | null;
  lastPollAt: Date | null;
  settings: unknown;
};

/** `%`, `_` and the escape itself are literal in a search. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A phone number as typed ("+49 155 123-45") in the stored form (digits and a leading +). */
export function phoneForm(q: string): string | null {
  if (!/^[+\d\s().\/-]+$/.test(q)) return null;
  const compact = q.replace(/[\s().\/-]/g, "");
  return /\d{3}/.test(compact) ? compact : null;
}

/**
 * The device's effective poll interval in SQL, as `effectiveDeviceSettings` computes it: the
 * override when it is a whole number of seconds in range, else the server's. Nested CASEs, so
 * the cast only ever sees a JSON number. list-devices.int.test.ts holds the two to each other.
 */
function overrideIntervalSql(serverInterval: number): Prisma.Sql {
  const value = Prisma.sql`(d.settings->>'pollIntervalSeconds')::numeric`;
  return Prisma.sql`CASE WHEN jsonb_typeof(d.settings->'pollIntervalSeconds') = 'number' THEN
      CASE WHEN ${value} BETWEEN ${MIN_INTERVAL_SECONDS} AND ${MAX_SECONDS} AND ${value} % 1 = 0 THEN ${value}::int ELSE ${serverInterval}::int END
    ELSE ${serverInterval}::int END`;
}

/**
 * Overdue in two arms, each an index range: devices without settings of their own (nearly all)
 * against one threshold on last_poll_at; the few with settings (a partial index holds them)
 * against their own interval.
 */
function overdueSql(now: Date, serverInterval: number): Prisma.Sql {
  const threshold = new Date(now.getTime() - OVERDUE_AFTER_INTERVALS * serverInterval * 1000);
  return Prisma.sql`((d.settings IS NULL AND d.last_poll_at < ${threshold}::timestamptz)
    OR (d.settings IS NOT NULL AND d.last_poll_at < ${now}::timestamptz - make_interval(secs => ${OVERDUE_AFTER_INTERVALS} * ${overrideIntervalSql(serverInterval)})))`;
}

function lastContactSql(f: LastContactFilter, now: Date, serverInterval: number): Prisma.Sql {
  return f === "overdue" ? overdueSql(now, serverInterval) : contactRangeSql(f, now);
}

/** The last-contact filters that are ranges of last_contact_at (an index of the list's). */
function contactRangeSql(f: Exclude<LastContactFilter, "overdue">, now: Date): Prisma.Sql {
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  switch (f) {
    case "today":
      return Prisma.sql`d.last_contact_at >= ${ago(86_400)}::timestamptz`;
    case "week":
      return Prisma.sql`d.last_contact_at >= ${ago(7 * 86_400)}::timestamptz`;
    case "older":
      return Prisma.sql`d.last_contact_at < ${ago(7 * 86_400)}::timestamptz`;
    case "never":
      return Prisma.sql`d.last_contact_at IS NULL`;
  }
}

function jobStateSql(f: JobStateFilter): Prisma.Sql {
  switch (f) {
    case "installing":
      return Prisma.sql`d.installing_count > 0`;
    case "attention":
      return Prisma.sql`d.attention_count > 0`;
    case "installed":
      return Prisma.sql`d.installed_count > 0`;
    case "none":
      return Prisma.sql`(d.installing_count = 0 AND d.installed_count = 0 AND d.attention_count = 0)`;
  }
}

const anyOf = (parts: Prisma.Sql[]) => Prisma.sql`(${Prisma.join(parts, " OR ")})`;

/**
 * The last-contact filter as one range of last_contact_at, when it is one: the devices list
 * sorted by last contact then walks that range instead of skipping to it.
 */
function lastContactRange(filters: LastContactFilter[], now: Date): Prisma.Sql | null {
  const has = (f: LastContactFilter) => filters.includes(f);
  if (filters.length === 0 || has("overdue") || (has("never") && filters.length > 1)) return null;
  if (has("never")) return Prisma.sql`d.last_contact_at IS NULL`;
  if (has("older")) return has("week") ? Prisma.sql`d.last_contact_at IS NOT NULL` : has("today") ? null : contactRangeSql("older", now);
  return contactRangeSql(has("week") ? "week" : "today", now);
}

/** The filters' WHERE: values of one filter OR-ed, filters AND-ed. */
export function deviceFilterSql(f: ResolvedDeviceFilter, now: Date, serverInterval: number): Prisma.Sql {
  return filterParts(f, now, serverInterval) ?? Prisma.sql`TRUE`;
}

function filterParts(f: ResolvedDeviceFilter, now: Date, serverInterval: number): Prisma.Sql | null {
  const p = f.params;
  const parts: Prisma.Sql[] = [];
  if (p.q) {
    const pattern = likePattern(p.q);
    const phone = phoneForm(p.q);
    parts.push(
      anyOf([
        Prisma.sql`d.name ILIKE ${pattern}`,
        Prisma.sql`d.device_uuid ILIKE ${pattern}`,
        Prisma.sql`d.phone_number ILIKE ${phone ? likePattern(phone) : pattern}`,
      ]),
    );
  }
  if (p.platform.length > 0) parts.push(Prisma.sql`d.platform = ANY(${p.platform}::text[])`);
  if (p.clientVersion.length > 0) parts.push(Prisma.sql`d.client_version = ANY(${p.clientVersion}::text[])`);
  if (p.lastContact.length > 0) parts.push(anyOf(p.lastContact.map((f) => lastContactSql(f, now, serverInterval))));
  if (p.jobState.length > 0) parts.push(anyOf(p.jobState.map(jobStateSql)));
  if (f.groups.length > 0) parts.push(anyOf(f.groups.map((g) => groupSql(g, now, serverInterval))));
  if (f.versionsBelow !== null) parts.push(Prisma.sql`d.client_version = ANY(${f.versionsBelow}::text[])`);
  if (f.hiddenBuilds.length > 0) parts.push(Prisma.sql`NOT (d.client_version IS NOT NULL AND (${onBuildSql(f.hiddenBuilds)}))`);
  return parts.length > 0 ? Prisma.join(parts, " AND ") : null;
}

function groupSql(g: ResolvedGroup, now: Date, serverInterval: number): Prisma.Sql {
  if (g.kind === "STATIC") return Prisma.sql`EXISTS (SELECT 1 FROM device_group_members m WHERE m.group_id = ${g.id}::int AND m.device_id = d.id)`;
  return deviceFilterSql(g.filter, now, serverInterval);
}

/** The server-wide poll interval (server_settings `device_settings`, validated as polls read it). */
export async function serverPollInterval(): Promise<number> {
  const row = await db().serverSetting.findUnique({ where: { key: "device_settings" }, select: { value: true } });
  return effectiveDeviceSettings(row?.value ?? null, null).pollIntervalSeconds;
}

const COLUMNS = Prisma.sql`d.id, d.device_uuid AS "deviceUuid", d.name, d.platform, d.client_version AS "clientVersion",
       d.phone_number AS "phoneNumber", d.last_contact_at AS "lastContactAt", d.last_poll_at AS "lastPollAt", d.settings,
       d.installing_count AS "installingCount", d.installed_count AS "installedCount", d.attention_count AS "attentionCount"`;

/**
 * Rows of the sort index a filtered page walks before reading the rest as a set: enough for a
 * filter matching 1 device in 40 to fill a page of 50 by walking (a few milliseconds), few
 * enough that a walk that finds nothing costs little.
 */
export const WALK_WINDOW = 2000;

/** One page of the devices list, and how many devices match (when cheap: DeviceTotal). */
export async function listDevicesPage(p: DeviceListParams, now = new Date(), opts: { walkWindow?: number } = {}): Promise<DeviceListPage> {
  const [serverInterval, resolved] = await Promise.all([serverPollInterval(), resolveDeviceFilters(p)]);
  const where = deviceFilterSql(resolved, now, serverInterval);
  const column = DEVICE_KEYSET.columns[p.sort];
  const range = p.sort === "lastContact" ? lastContactRange(p.lastContact, now) : null;
  const read = filteredSegmentReader<StoredRow>({
    spec: DEVICE_KEYSET,
    column,
    table: "devices",
    alias: "d",
    select: COLUMNS,
    filter: filterParts(range ? { ...resolved, params: { ...p, lastContact: [] } } : resolved, now, serverInterval),
    walkFilter: range,
    window: opts.walkWindow ?? WALK_WINDOW,
    query: (sql) => db().$queryRaw(sql),
  });
  const keyOf = (r: StoredRow) => ({ value: sortValue(r, p.sort), id: r.id });
  const [page, total] = await Promise.all([
    fetchKeysetPage({ column, sort: p.sort, dir: p.dir, cursor: p.cursor, limit: p.limit, read, keyOf }),
    countDevices(p, where),
  ]);
  return { ...page, rows: page.rows.map((r) => toRow(r, serverInterval, now)), total };
}

function sortValue(r: StoredRow, sort: DeviceSort): string | Date | null {
  switch (sort) {
    case "name":
      return r.name;
    case "lastContact":
      return r.lastContactAt;
    case "platform":
      return r.platform;
    case "clientVersion":
      return r.clientVersion;
  }
}

function toRow({ settings, lastContactAt, lastPollAt, ...r }: StoredRow, serverInterval: number, now: Date): DeviceListRow {
  const pollIntervalSeconds = effectiveDeviceSettings({ pollIntervalSeconds: serverInterval }, settings).pollIntervalSeconds;
  return {
    ...r,
    lastContactAt: lastContactAt?.toISOString() ?? null,
    lastPollAt: lastPollAt?.toISOString() ?? null,
    pollIntervalSeconds,
    overdue: isOverdue(lastPollAt, pollIntervalSeconds, now),
  };
}

/**
 * The total, never by reading a million rows: without filters the planner's row estimate for
 * the table (kept by ANALYZE/autovacuum) once the fleet is past the cap; with filters a count
 * that stops at the cap, which costs what finding COUNT_CAP matching rows costs.
 */
async function countDevices(p: DeviceListParams, where: Prisma.Sql): Promise<DeviceTotal> {
  if (!hasFilters(p)) {
    const [estimate] = await db().$queryRaw<{ n: number }[]>`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'devices'::regclass`;
    // -1 until the table was first analyzed; small fleets are counted exactly below.
    if (estimate && estimate.n >= COUNT_CAP) return { kind: "about", value: Math.round(estimate.n) };
  }
  const [row] = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM devices d WHERE ${where} LIMIT ${COUNT_CAP + 1}) t`;
  const n = row?.n ?? 0;
  return n > COUNT_CAP ? { kind: "atLeast", value: COUNT_CAP } : { kind: "exact", value: n };
}

export type DeviceFacets = { platforms: string[]; clientVersions: string[] };
const MAX_FACET_VALUES = 100;

/** The values the platform and client-version filters offer. */
export async function listDeviceFacets(): Promise<DeviceFacets> {
  const [platforms, clientVersions] = await Promise.all([distinctDeviceValues("platform", MAX_FACET_VALUES), distinctDeviceValues("client_version", MAX_FACET_VALUES)]);
  return { platforms, clientVersions };
}

/**
 * The UUIDs of the devices a filter matches, in id order, at most `limit` (bulk actions on
 * "every matching device" take them from here).
 */
export async function matchingDeviceUuids(p: DeviceListParams, limit: number, now = new Date()): Promise<string[]> {
  const [serverInterval, resolved] = await Promise.all([serverPollInterval(), resolveDeviceFilters(p)]);
  const rows = await db().$queryRaw<{ u: string }[]>`SELECT d.device_uuid AS u FROM devices d WHERE ${deviceFilterSql(resolved, now, serverInterval)} ORDER BY d.id LIMIT ${limit}`;
  return rows.map((r) => r.u);
}

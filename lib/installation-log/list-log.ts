/**
 * The installation log at fleet scale: every event of every job, newest first, for parsed
 * list parameters (list-log-params.ts), a page at a time by keyset (lib/db/keyset.ts).
 *
 * Rows come from one walk of an index in the list's order: the primary key (newest first by
 * id), or with a time range the (received_at, id) index over that range. Filters are applied
 * over a window of that walk, and a page reads at most SCAN_BUDGET rows of it: a filter that
 * matches one row in a million would otherwise make one statement read millions. When the
 * budget ends before the page fills, the page comes back partial and its Next link continues
 * from the last row read. A device filter naming few devices reads their rows instead, off
 * the (device_id, id) index, one range per device, merged: exact and cheap, however rare.
 * A software filter, newest first by id, reads its entries' rows the same way, off the
 * (software_id, id) index; with a time range it is a filter over the walk of that range.
 *
 * The event text is derived in code (describeLogEntry), so the text search `q` filters the
 * walked rows here, not in SQL. Device, job and software names are read for the page's rows
 * only, once the page is known.
 */
import { db } from "@/lib/db/client";
import { softwareFilterOptions } from "@/lib/software/queries";
import { sql } from "@/lib/db/sql";
import { fetchScannedPage, keysetSegments, segmentSql, windowScan, type Cursor, type RowKey, type ScannedPage, type Segment } from "@/lib/db/keyset";
import { likePattern } from "@/lib/devices/list-devices";
import { Prisma } from "@/lib/generated/prisma/client";
import type { JobStatus } from "@/lib/installation-jobs/status-model";
import { eventTexts, type StoredEventFields } from "./entries";
import { LOG_KEYSET, logSortOf, type LogListParams, type LogSort } from "./list-log-params";
import { toLogRow, type LogRow } from "./queries";

export type LogListRow = LogRow & { deviceUuid: string; deviceName: string; jobId: number | null };

export type LogListPage = {
  rows: LogListRow[];
  next: Cursor<LogSort> | null;
  previous: Cursor<LogSort> | null;
  /** The search stopped at the budget before the page filled; `next` (or `previous`, reading backwards) goes on. */
  partial: boolean;
};

/**
 * Rows of the order one page request may read. At ~1 µs a row in an index walk with its heap
 * row (cached), a few tens of milliseconds: the page answers quickly even when the filter
 * matches nothing in it.
 */
export const SCAN_BUDGET = 50_000;
/**
 * The same for a text search, whose rows cross into JavaScript to be described (about 3 µs a
 * row through the pg pool at 1M devices): 20,000 keep a page that finds nothing near 60 ms.
 */
export const TEXT_SCAN_BUDGET = 20_000;

/** How many rows one page of these filters may read. */
export function scanBudgetOf(p: Pick<LogListParams, "q">): number {
  return p.q ? TEXT_SCAN_BUDGET : SCAN_BUDGET;
}
/** A device filter matching at most this many devices reads their own rows (the device index). */
export const DEVICE_LOOKUP_MAX = 100;

/** installation_log as `SELECT l.*` returns it. */
type RawLogRow = {
  id: bigint;
  job_id: number | null;
  device_id: number;
  message_row_id: bigint | null;
  received_at: Date;
  device_timestamp: string | null;
  package_id: string | null;
  software_id: number | null;
  message_id: string | null;
  code: string;
  data: unknown;
  parameters: unknown;
  status_before: JobStatus | null;
  status_after: JobStatus | null;
};

type DeviceMatch = { ids: number[] } | { many: Prisma.Sql };

/** Rows read off an index of (column, id) instead of the walk: the ids' own ranges, merged. */
type Lookup = { column: "device_id" | "software_id"; ids: number[] };

/** A device's UUID as given or upper-cased (CE clients send it upper-case), or part of its name. */
function deviceMatchSql(values: string[]): Prisma.Sql {
  return Prisma.join(
    values.map((v) => Prisma.sql`(d.device_uuid IN (${v}, ${v.toUpperCase()}) OR d.name ILIKE ${likePattern(v)})`),
    " OR ",
  );
}

async function matchDevices(values: string[]): Promise<DeviceMatch> {
  const match = deviceMatchSql(values);
  const rows = await db().$queryRaw<{ id: number }[]>`SELECT d.id FROM devices d WHERE ${match} LIMIT ${DEVICE_LOOKUP_MAX + 1}`;
  return rows.length <= DEVICE_LOOKUP_MAX ? { ids: rows.map((r) => r.id) } : { many: match };
}

/**
 * The filters in SQL: `range`, the time range (conditions on the order's own index, applied
 * inside the walk), and `filters`, applied over the walked rows. What the lookup reads by its
 * own index (devices found, or the software) is no filter here.
 */
function filterSql(p: LogListParams, devices: DeviceMatch | null, lookup: Lookup | null = null): { range: Prisma.Sql | null; filters: Prisma.Sql | null } {
  const range = [p.from && Prisma.sql`l.received_at >= ${p.from}::timestamptz`, p.before && Prisma.sql`l.received_at < ${p.before}::timestamptz`].filter((x): x is Prisma.Sql => Boolean(x));
  const filters: Prisma.Sql[] = [];
  if (devices && "many" in devices) filters.push(Prisma.sql`l.device_id IN (SELECT d.id FROM devices d WHERE ${devices.many})`);
  if (p.software.length > 0 && lookup?.column !== "software_id") filters.push(Prisma.sql`l.software_id = ANY(${p.software}::int[])`);
  if (p.status.length > 0) filters.push(Prisma.sql`l.status_after = ANY(${p.status}::job_status[])`);
  if (p.messageId.length > 0) filters.push(Prisma.sql`l.message_id = ANY(${p.messageId}::text[])`);
  return { range: range.length > 0 ? Prisma.join(range, " AND ") : null, filters: filters.length > 0 ? Prisma.join(filters, " AND ") : null };
}

/**
 * The page the way a plain query would read it: one statement, every SQL filter in its WHERE
 * (devices as a subquery), the planner's choice of plan, no budget. Only for comparison
 * (scripts/bench-console.ts): what the bounded walk saves. The text search has no SQL form.
 */
export async function listLogPageUnbounded(p: LogListParams): Promise<unknown[]> {
  const sort = logSortOf(p);
  const column = LOG_KEYSET.columns[sort];
  const devices = p.device.length > 0 ? ({ many: deviceMatchSql(p.device) } as const) : null;
  const { range, filters } = filterSql(p, devices);
  const s = segmentSql(LOG_KEYSET, column, keysetSegments({ nullable: false }, "desc", p.cursor)[0]!);
  const where = Prisma.join([s.where, ...(range ? [range] : []), ...(filters ? [filters] : [])], " AND ");
  return db().$queryRaw(Prisma.sql`SELECT l.* FROM installation_log l WHERE ${where} ORDER BY ${s.orderBy} LIMIT ${p.limit + 1}`);
}

type LogScan<Row> = {
  sort: LogSort;
  read: (segment: Segment, scan: number, take: number) => Promise<Row[]>;
  edge: (segment: Segment, scan: number) => Promise<RowKey | null>;
  keep?: (row: Row) => boolean;
  keyOf: (row: Row) => RowKey;
};

/** A row as a reader returns it: at least its key, whatever the driver makes of the types. */
type KeyedRow = { id: bigint | string; received_at: Date | string };

/**
 * Who reads the matching rows, and how: the page through Prisma, every column of the row; the
 * export through the pg pool, its columns only. `text` is a row's event text (the search q).
 */
type ScanReader<Row extends KeyedRow> = {
  query: <T>(sql: Prisma.Sql) => Promise<T[]>;
  select?: { columns: Prisma.Sql; joins: Prisma.Sql };
  /** A row's event text: needed for the text search `q` (a reader without it cannot run one). */
  text?: (row: Row) => string;
};

/** The walk of a page without a text search: only the rows' keys (pageRows reads the page's rows whole). */
type KeyRow = { id: bigint; received_at: Date };
const keyReader: ScanReader<KeyRow> = { query: (sql) => db().$queryRaw(sql), select: { columns: Prisma.sql`l.id, l.received_at`, joins: Prisma.empty } };

/** What a text search reads of each row it walks: its key and what its event text depends on. */
type TextRow = StoredEventFields & { id: string; received_at: Date };
const TEXT_SELECT = { columns: Prisma.sql`l.id::text AS id, l.received_at, l.code, l.data::text AS data, l.message_id, l.status_before, l.status_after`, joins: Prisma.empty };

/**
 * How the filters read: the walk (or the devices' or software's rows) and what is applied over
 * it. The one query builder of the page and its export. Null: nothing can match.
 */
async function planScan<Row extends KeyedRow>(p: LogListParams, reader: ScanReader<Row>): Promise<LogScan<Row> | null> {
  const sort = logSortOf(p);
  const column = LOG_KEYSET.columns[sort];
  const devices = p.device.length > 0 ? await matchDevices(p.device) : null;
  if (devices && "ids" in devices && devices.ids.length === 0) return null;
  // The software index is in id order: with a time range (received_at order) it would have to
  // sort an entry's every row in the range, so there the walk of the range filters instead.
  const lookup: Lookup | null =
    devices && "ids" in devices ? { column: "device_id", ids: devices.ids } : p.software.length > 0 && sort === "id" ? { column: "software_id", ids: p.software } : null;

  const { range, filters } = filterSql(p, devices, lookup);
  const inRange = range ? Prisma.sql` AND ${range}` : Prisma.empty;
  const window = (segment: Segment, scan: number, columns: Prisma.Sql) => {
    const s = segmentSql(LOG_KEYSET, column, segment);
    if (lookup?.column === "device_id") {
      // One range of (device_id, id) per device, merged; at most `scan` rows in all. A device
      // has few rows: sorting what the ranges return costs little.
      return Prisma.sql`(SELECT ${columns} FROM unnest(${lookup.ids}::int[]) AS k(id)
        CROSS JOIN LATERAL (SELECT l.* FROM installation_log l WHERE l.device_id = k.id AND ${s.where}${inRange} ORDER BY ${s.orderBy} LIMIT ${scan}) l
        ORDER BY ${s.orderBy} LIMIT ${scan}) l`;
    }
    if (lookup) {
      // An entry has a quarter of a million rows: its ranges as a UNION ALL, which the planner
      // merges in order (Merge Append) and stops reading once the page has its rows; the
      // lateral join above would read `scan` rows of each and sort them.
      const ranges = lookup.ids.map((id) => Prisma.sql`(SELECT l.* FROM installation_log l WHERE l.software_id = ${id}::int AND ${s.where}${inRange} ORDER BY ${s.orderBy} LIMIT ${scan})`);
      return Prisma.sql`(SELECT ${columns} FROM (${Prisma.join(ranges, " UNION ALL ")}) l ORDER BY ${s.orderBy} LIMIT ${scan}) l`;
    }
    return Prisma.sql`(SELECT ${columns} FROM installation_log l WHERE ${s.where}${inRange} ORDER BY ${s.orderBy} LIMIT ${scan}) l`;
  };
  const { read, edge } = windowScan<Row>({ spec: LOG_KEYSET, column, alias: "l", window, filter: filters, select: reader.select, query: reader.query });
  const needle = p.q?.toLowerCase();
  const textOf = reader.text ?? (() => {
    throw new Error("a text search needs a reader that gives rows' event texts");
  });
  return {
    sort,
    read,
    edge,
    keep: needle ? (r) => textOf(r).toLowerCase().includes(needle) : undefined,
    keyOf: sort === "id" ? (r) => ({ value: r.id, id: r.id }) : (r) => ({ value: r.received_at, id: r.id }),
  };
}

/**
 * A page's rows, whole and with their device and software names, by id in the page's order:
 * one statement, once the page is known (a row whose device was removed since is left out).
 */
async function pageRows(ids: (bigint | string)[]): Promise<LogListRow[]> {
  if (ids.length === 0) return [];
  // The row's own software, as the software filter matches it.
  const rows = await db().$queryRaw<(RawLogRow & { deviceUuid: string; deviceName: string; softwareName: string | null })[]>`
    SELECT l.*, d.device_uuid AS "deviceUuid", d.name AS "deviceName", s.name || ' ' || s.version AS "softwareName"
      FROM installation_log l
      JOIN devices d ON d.id = l.device_id
      LEFT JOIN software s ON s.id = l.software_id
     WHERE l.id = ANY(${ids.map(String)}::bigint[])`;
  const byId = new Map(rows.map((r) => [r.id.toString(), r]));
  return ids.flatMap((id) => {
    const r = byId.get(String(id));
    if (!r) return [];
    const row = toLogRow({
      id: r.id,
      receivedAt: r.received_at,
      deviceTimestamp: r.device_timestamp,
      packageId: r.package_id,
      messageId: r.message_id,
      code: r.code,
      data: r.data,
      parameters: r.parameters,
      statusBefore: r.status_before,
      statusAfter: r.status_after,
      messageRowId: r.message_row_id,
      softwareName: r.softwareName,
    });
    return [{ ...row, deviceUuid: r.deviceUuid, deviceName: r.deviceName, jobId: r.job_id }];
  });
}

/**
 * One page of the log; partial when the budget of rows read ended first. A text search walks up
 * to the budget's 50,000 rows and describes each in code: those are read through the pg pool,
 * only what the text needs, with the texts remembered (about a fifth of Prisma's cost a row),
 * and the page's own rows are read whole afterwards.
 */
export async function listLogPage(p: LogListParams, opts: { budget?: number } = {}): Promise<LogListPage> {
  const budget = opts.budget ?? scanBudgetOf(p);
  if (p.q) {
    const scan = await planScan<TextRow>(p, { query: (s) => sql().queryBuilt(s.text, s.values), select: TEXT_SELECT, text: eventTexts() });
    if (!scan) return { rows: [], next: null, previous: null, partial: false };
    const page = await fetchScannedPage<TextRow, LogSort>({ ...scan, dir: "desc", cursor: p.cursor, limit: p.limit, budget });
    return { ...page, rows: await pageRows(page.rows.map((r) => r.id)) };
  }
  const scan = await planScan(p, keyReader);
  if (!scan) return { rows: [], next: null, previous: null, partial: false };
  const page = await fetchScannedPage<KeyRow, LogSort>({ ...scan, dir: "desc", cursor: p.cursor, limit: p.limit, budget });
  return { ...page, rows: await pageRows(page.rows.map((r) => r.id)) };
}

/** Rows an export reads per statement: big enough to amortize a round trip, small enough to stream. */
export const EXPORT_CHUNK = 2000;

/**
 * A row as the export reads it: the CSV's columns, as text where SQL can write the CSV's form
 * (times as ISO text, the parameters as "name=value; …"), so no Date, JSON or row object is
 * made per row in the server's event loop but the driver's own. `data` is the entry's JSON text.
 */
export type LogExportRow = {
  id: string;
  received_at: string;
  device_uuid: string;
  device_name: string;
  job_id: number | null;
  software: string | null;
  package_id: string | null;
  message_id: string | null;
  code: string;
  data: string;
  parameters: string | null;
  status_before: JobStatus | null;
  status_after: JobStatus | null;
  device_timestamp: string | null;
};

const EXPORT_SELECT = {
  columns: Prisma.sql`l.id::text AS id, to_char(l.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS received_at,
    d.device_uuid, d.name AS device_name, l.job_id, s.name || ' ' || s.version AS software, l.package_id, l.message_id,
    l.code, l.data::text AS data,
    (SELECT string_agg(concat(e.p->>'name', '=', e.p->>'value'), '; ' ORDER BY e.n) FROM jsonb_array_elements(l.parameters) WITH ORDINALITY AS e(p, n)) AS parameters,
    l.status_before, l.status_after, l.device_timestamp`,
  // As the page's rows (pageRows): a row whose device is gone is left out.
  joins: Prisma.sql`JOIN devices d ON d.id = l.device_id LEFT JOIN software s ON s.id = l.software_id`,
};

/**
 * Every row the filters match, in the list's order, chunk by chunk (the cursor and page size
 * ignored), through the pg pool (lib/db/sql.ts) with only the CSV's columns. Each chunk is
 * one statement of its own, outside any transaction, so on the embedded PGlite, whose one
 * session every query shares, other requests run between chunks. A chunk may be empty (a rare
 * filter's budget read found nothing); the caller decides to go on. `text` is a row's event text.
 */
export async function* logExportChunks(
  p: LogListParams,
  text: (row: LogExportRow) => string,
  opts: { chunk?: number; budget?: number } = {},
): AsyncGenerator<LogExportRow[]> {
  const scan = await planScan<LogExportRow>(p, { query: (s) => sql().queryBuilt(s.text, s.values), select: EXPORT_SELECT, text });
  if (!scan) return;
  let cursor: Cursor<LogSort> | null = null;
  for (;;) {
    const page: ScannedPage<LogExportRow, LogSort> = await fetchScannedPage({ ...scan, dir: "desc", cursor, limit: opts.chunk ?? EXPORT_CHUNK, budget: opts.budget ?? SCAN_BUDGET });
    yield page.rows;
    if (!page.next) return;
    cursor = page.next;
  }
}

export type SoftwareOption = { id: number; label: string };

/** The software filter's values: the library's entries, names only (no job counts). */
export async function listLogSoftwareOptions(): Promise<SoftwareOption[]> {
  return (await softwareFilterOptions(500)).map((r) => ({ id: r.id, label: `${r.name} ${r.version}` }));
}

/**
 * Keyset pagination for the console's lists (devices, the installation log; the jobs list
 * next): a page is "the next N rows after this (sort value, id)", read straight off an
 * index on (sort column, id), so page 5,000 costs what page 1 costs. OFFSET would read and
 * throw away every row before the page.
 *
 * Three pieces, each usable alone:
 *   - a cursor: the position (sort, direction, value, id), as opaque base64url JSON in the URL,
 *     decoded and checked against a whitelist of sort columns before any of it reaches SQL;
 *   - segments: the ordered index ranges that make up one page. NULLs sort last in both
 *     directions; an index on (col, id) keeps them together at its end, and one range cannot
 *     both follow a value and include the NULLs without turning into a full scan, so a
 *     nullable column is read as two ranges (values, then NULLs), each a plain index range;
 *   - `fetchKeysetPage`: runs the segments in order until the page is full, one extra row to
 *     know whether another page follows, and reverses the rows read backwards;
 *   - `fetchScannedPage`: the same for lists where a filter may match one row in a million (the
 *     installation log): it reads at most a budget of rows per page and, when the budget ends
 *     first, returns a partial page whose link continues the search from where it stopped.
 *
 * Segments are plain data (pure, unit-tested over random data in keyset.test.ts);
 * `segmentSql` turns one into WHERE and ORDER BY for Prisma's `$queryRaw`.
 */
import { Prisma } from "@/lib/generated/prisma/client";
import type { Parsed } from "@/lib/validation";

export type SortDir = "asc" | "desc";
export type KeyType = "text" | "timestamp" | "int" | "bigint";
export type KeyValue = string | number | null;

/**
 * A sortable column: trusted SQL (never from input), its type and whether it holds NULLs. A
 * column whose SQL is the spec's id is the id itself (newest first by id): its ranges are then
 * plain id ranges.
 */
export type KeyColumn = { sql: string; type: KeyType; nullable: boolean };

/** A list's whitelist: public sort names → columns, plus the unique id that breaks ties. */
export type KeysetSpec<S extends string> = {
  columns: { readonly [K in S]: KeyColumn };
  id: { sql: string; type: "int" | "bigint" };
};

/**
 * A position between two rows. `after`: the page starts after this row (Next); `before`: the
 * page ends before it (Previous). `id` is a string for bigint ids.
 */
export type Cursor<S extends string = string> = { sort: S; dir: SortDir; direction: "after" | "before"; value: KeyValue; id: number | string };

export class CursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CursorError";
  }
}

// ---------------------------------------------------------------------------------------------
// The cursor in the URL

/** Longer than any cursor we write (a 1,000-character text value); refused before decoding. */
const MAX_CURSOR_LENGTH = 2048;
const MAX_TEXT_VALUE = 1000;

export function encodeCursor(c: Cursor): string {
  const wire = { s: c.sort, d: c.dir, k: c.direction === "after" ? "a" : "b", v: c.value, i: c.id };
  return Buffer.from(JSON.stringify(wire), "utf8").toString("base64url");
}

/** Decodes and checks a cursor from the URL against the spec; a CursorError says what is wrong. */
export function decodeCursor<S extends string>(spec: KeysetSpec<S>, raw: string): Cursor<S> {
  const malformed = () => new CursorError("The page position (cursor) in the address is malformed; start again from the first page.");
  // Buffer's base64url decoder skips characters it does not know: check the alphabet first.
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw malformed();
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw malformed();
  }
  if (typeof wire !== "object" || wire === null || Array.isArray(wire)) throw malformed();
  const { s, d, k, v, i } = wire as Record<string, unknown>;
  if (typeof s !== "string" || !Object.hasOwn(spec.columns, s)) throw malformed();
  if (d !== "asc" && d !== "desc") throw malformed();
  if (k !== "a" && k !== "b") throw malformed();
  const column = spec.columns[s as S];
  return { sort: s as S, dir: d, direction: k === "a" ? "after" : "before", value: checkValue(column, v, malformed), id: checkId(spec.id.type, i, malformed) };
}

function checkValue(column: KeyColumn, v: unknown, malformed: () => CursorError): KeyValue {
  if (v === null) {
    if (!column.nullable) throw malformed();
    return null;
  }
  switch (column.type) {
    case "text":
      if (typeof v !== "string" || v.length > MAX_TEXT_VALUE || v.includes("\u0000")) throw malformed();
      return v;
    case "timestamp":
      // Only the exact form the encoder writes (toISOString), so no time zone guessing.
      if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) || Number.isNaN(Date.parse(v)) || new Date(v).toISOString() !== v) throw malformed();
      return v;
    case "int":
      if (typeof v !== "number" || !Number.isSafeInteger(v) || Math.abs(v) > 2_147_483_647) throw malformed();
      return v;
    case "bigint":
      if (typeof v !== "string" || !isBigintText(v)) throw malformed();
      return v;
  }
}

/** A positive bigint as the encoder writes it (decimal text: JSON numbers lose digits past 2^53). */
function isBigintText(v: string): boolean {
  return /^[1-9]\d{0,18}$/.test(v) && BigInt(v) <= 9_223_372_036_854_775_807n;
}

function checkId(type: "int" | "bigint", i: unknown, malformed: () => CursorError): number | string {
  if (type === "int") {
    if (typeof i !== "number" || !Number.isSafeInteger(i) || i < 1 || i > 2_147_483_647) throw malformed();
    return i;
  }
  if (typeof i !== "string" || !isBigintText(i)) throw malformed();
  return i;
}

/**
 * The cursor parameter of a list address, for the sort the address asks for: none, a checked
 * cursor, or the issue to show (malformed, or made for another sort order).
 */
export function cursorParam<S extends string>(spec: KeysetSpec<S>, raw: string | undefined, sort: S, dir: SortDir): Parsed<Cursor<S> | null> {
  if (raw === undefined) return { ok: true, value: null };
  let cursor: Cursor<S>;
  try {
    cursor = decodeCursor(spec, raw);
  } catch (error) {
    if (!(error instanceof CursorError)) throw error;
    return { ok: false, issues: [{ field: "cursor", message: error.message }] };
  }
  if (cursor.sort !== sort || cursor.dir !== dir) {
    return { ok: false, issues: [{ field: "cursor", message: "The page position (cursor) belongs to another sort order; start again from the first page." }] };
  }
  return { ok: true, value: cursor };
}

/** A row's key as SQL drivers return it (dates, bigints) in the cursor's form (ISO text, decimal text). */
export type RowKey = { value: KeyValue | Date | bigint; id: number | string | bigint };
function normalizeKey(key: RowKey): { value: KeyValue; id: number | string } {
  const value = key.value instanceof Date ? key.value.toISOString() : typeof key.value === "bigint" ? key.value.toString() : key.value;
  return { value, id: typeof key.id === "bigint" ? key.id.toString() : key.id };
}

/** The cursor for a position at a row, as the list's row reader gives (value, id). */
export function cursorAt<S extends string>(sort: S, dir: SortDir, direction: "after" | "before", key: RowKey): Cursor<S> {
  return { sort, dir, direction, ...normalizeKey(key) };
}

// ---------------------------------------------------------------------------------------------
// Segments

/**
 * One index range of a page. `values`: rows whose sort value is not NULL, ordered by (value, id);
 * `nulls`: rows whose value is NULL, ordered by id; `all`: a column without NULLs. `from` bounds
 * the range strictly: rows beyond (value, id) in scan order (for `nulls`, beyond id).
 */
export type Segment = { rows: "values" | "nulls" | "all"; scan: SortDir; from: { value: KeyValue; id: number | string } | null };

const flip = (d: SortDir): SortDir => (d === "asc" ? "desc" : "asc");

/**
 * The ranges that make up a page, in the order to read them. The list's order is (value dir,
 * id dir) with NULLs last either way; reading `before` a cursor scans the same ranges backwards.
 */
export function keysetSegments(column: Pick<KeyColumn, "nullable">, dir: SortDir, cursor: Pick<Cursor, "direction" | "value" | "id"> | null): Segment[] {
  const direction = cursor?.direction ?? "after";
  const scan = direction === "after" ? dir : flip(dir);
  const from = cursor && { value: cursor.value, id: cursor.id };
  if (!column.nullable) return [{ rows: "all", scan, from }];
  const values = (bounded: boolean): Segment => ({ rows: "values", scan, from: bounded ? from : null });
  const nulls = (bounded: boolean): Segment => ({ rows: "nulls", scan, from: bounded ? from : null });
  const inNulls = cursor !== null && cursor.value === null;
  if (direction === "after") return inNulls ? [nulls(true)] : [values(cursor !== null), nulls(false)];
  if (cursor === null) return [nulls(false), values(false)]; // backwards from the very end: the last page
  return inNulls ? [nulls(true), values(false)] : [values(true)];
}

const CASTS: { [T in KeyType]: string } = { text: "text", timestamp: "timestamptz", int: "int", bigint: "bigint" };

/** ORDER BY of a segment over the given value and id expressions (`col` null: the id is the sort). */
function orderSql(segment: Pick<Segment, "rows" | "scan">, col: Prisma.Sql | null, id: Prisma.Sql): Prisma.Sql {
  const scan = Prisma.raw(segment.scan === "asc" ? "ASC" : "DESC");
  return segment.rows === "nulls" || col === null ? Prisma.sql`${id} ${scan}` : Prisma.sql`${col} ${scan}, ${id} ${scan}`;
}

/** WHERE and ORDER BY of one segment. The column SQL is the spec's, never input. */
export function segmentSql(spec: KeysetSpec<string>, column: KeyColumn, segment: Segment): { where: Prisma.Sql; orderBy: Prisma.Sql } {
  const col = Prisma.raw(column.sql);
  const id = Prisma.raw(spec.id.sql);
  const idCast = Prisma.raw(spec.id.type);
  const op = Prisma.raw(segment.scan === "asc" ? ">" : "<");
  const from = segment.from;
  if (column.sql === spec.id.sql) {
    return { where: from ? Prisma.sql`${id} ${op} ${from.id}::${idCast}` : Prisma.sql`TRUE`, orderBy: orderSql(segment, null, id) };
  }
  const orderBy = orderSql(segment, col, id);
  switch (segment.rows) {
    case "nulls":
      return {
        where: from ? Prisma.sql`${col} IS NULL AND ${id} ${op} ${from.id}::${idCast}` : Prisma.sql`${col} IS NULL`,
        orderBy,
      };
    case "values":
    case "all": {
      // A row comparison, which PostgreSQL turns into one index range on (col, id).
      const bound = from ? Prisma.sql`(${col}, ${id}) ${op} (${from.value}::${Prisma.raw(CASTS[column.type])}, ${from.id}::${idCast})` : null;
      const notNull = segment.rows === "values" ? Prisma.sql`${col} IS NOT NULL` : null;
      const parts = [notNull, bound].filter((p): p is Prisma.Sql => p !== null);
      return { where: parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`, orderBy };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a segment under filters

/**
 * A segment reader for `fetchKeysetPage` over `FROM table alias WHERE filter`. With a filter,
 * walking the sort index and skipping rows that do not match is fast when matches are spread
 * through the order, and unbounded when they cluster far along it ("scanner" in names sorted
 * A–Z, overdue devices sorted by most recent contact: the planner, assuming no correlation,
 * walks, and reads most of the table). So the walk is bounded: the next `window` rows of the
 * index range, filtered. When they hold fewer than the page, the density seen decides: a
 * second, longer walk when the page should fill within a few windows; else the rest is read
 * as a set (the filter's own indexes, then a sort of the matches), whose cost follows the
 * number of matches, not the table.
 *
 * `walkFilter` holds conditions that are ranges of the sort index itself (last contact within
 * 24 hours, sorted by last contact): inside the walk they narrow the range instead of being
 * skipped over. `alias` and `table` are trusted SQL; `select` names columns of `alias`.
 */
export function filteredSegmentReader<Row>(opts: {
  spec: KeysetSpec<string>;
  column: KeyColumn;
  table: string;
  alias: string;
  select: Prisma.Sql;
  filter: Prisma.Sql | null;
  walkFilter?: Prisma.Sql | null;
  window: number;
  query: <T>(sql: Prisma.Sql) => Promise<T[]>;
}): (segment: Segment, limit: number) => Promise<Row[]> {
  const { spec, column, select, filter, window, query } = opts;
  const table = Prisma.raw(opts.table);
  const alias = Prisma.raw(opts.alias);
  const inWalk = opts.walkFilter ? Prisma.sql` AND ${opts.walkFilter}` : Prisma.empty;
  /** Where `size` rows of the range from `segment` end, or null when it holds fewer (the range ended). */
  const edgeOf = (segment: Segment, size: number) => {
    const s = segmentSql(spec, column, segment);
    return windowEdge(query, segment, Prisma.sql`(SELECT ${Prisma.raw(column.sql)} AS key_value, ${Prisma.raw(spec.id.sql)} AS key_id FROM ${table} ${alias} WHERE ${s.where}${inWalk} ORDER BY ${s.orderBy} LIMIT ${size}) k`, size);
  };
  return async (segment, limit) => {
    const s = segmentSql(spec, column, segment);
    if (filter === null) return query<Row>(Prisma.sql`SELECT ${select} FROM ${table} ${alias} WHERE ${s.where}${inWalk} ORDER BY ${s.orderBy} LIMIT ${limit}`);
    const hits: Row[] = [];
    let current = segment;
    let size = window;
    let walked = 0;
    for (let round = 0; round < 2; round++) {
      // A window is a prefix of the range, so its matches come before any later one.
      const w = segmentSql(spec, column, current);
      const rows = Prisma.sql`(SELECT ${alias}.* FROM ${table} ${alias} WHERE ${w.where}${inWalk} ORDER BY ${w.orderBy} LIMIT ${size}) ${alias}`;
      hits.push(...(await query<Row>(Prisma.sql`SELECT ${select} FROM ${rows} WHERE ${filter} ORDER BY ${w.orderBy} LIMIT ${limit - hits.length}`)));
      if (hits.length >= limit) return hits;
      const edge = await edgeOf(current, size);
      if (edge === null) return hits; // the range ended inside the window: nothing more to find
      current = { ...current, from: edge };
      walked += size;
      const density = hits.length / walked;
      const needed = (limit - hits.length) / density;
      if (round > 0 || density === 0 || needed > 8 * window) break;
      size = Math.ceil(Math.min(8 * window, 2 * needed));
    }
    // The rest as a set: MATERIALIZED keeps the planner from walking again.
    const rest = segmentSql(spec, column, current);
    const more = await query<Row>(
      Prisma.sql`WITH matches AS MATERIALIZED (SELECT ${alias}.* FROM ${table} ${alias} WHERE ${filter} AND ${rest.where}${inWalk})
                 SELECT ${select} FROM matches ${alias} ORDER BY ${rest.orderBy} LIMIT ${limit - hits.length}`,
    );
    return [...hits, ...more];
  };
}

/**
 * The key of the last row of `keyed` (a subquery `k` of `key_value`, `key_id`: at most `size`
 * rows of the range from `segment`), or null when it holds fewer than `size`: the range ended.
 */
async function windowEdge(query: <T>(sql: Prisma.Sql) => Promise<T[]>, segment: Segment, keyed: Prisma.Sql, size: number): Promise<{ value: KeyValue; id: number | string } | null> {
  const last = orderSql({ rows: segment.rows, scan: flip(segment.scan) }, Prisma.raw("k.key_value"), Prisma.raw("k.key_id"));
  const [edge] = await query<RowKey & { seen: bigint | number }>(
    Prisma.sql`SELECT k.key_value AS value, k.key_id AS id, count(*) OVER () AS seen FROM ${keyed} ORDER BY ${last} LIMIT 1`,
  );
  return edge && Number(edge.seen) === size ? normalizeKey(edge) : null;
}

/**
 * The reader pair of `fetchScannedPage` over a window: `window(segment, scan, columns)` is the
 * caller's SQL for the next `scan` rows of the range from `segment` in scan order (its WHERE
 * and ORDER BY from `segmentSql`, plus any conditions that narrow the range itself), selecting
 * `columns`, as a subquery aliased `alias` (the alias the spec's SQL uses). `filter` is applied
 * over the window, so a statement never reads more than `scan` rows of the order, however rare
 * the matches; the edge reads only the key columns (an index-only scan where the index allows).
 * `select` reads other columns than the row's own for the matches (joined tables' too), in the
 * same statement; its columns must include what the caller's row key reads.
 */
export function windowScan<Row>(opts: {
  spec: KeysetSpec<string>;
  column: KeyColumn;
  alias: string;
  window: (segment: Segment, scan: number, columns: Prisma.Sql) => Prisma.Sql;
  filter: Prisma.Sql | null;
  select?: { columns: Prisma.Sql; joins: Prisma.Sql };
  query: <T>(sql: Prisma.Sql) => Promise<T[]>;
}): { read: (segment: Segment, scan: number, take: number) => Promise<Row[]>; edge: (segment: Segment, scan: number) => Promise<RowKey | null> } {
  const { spec, column, query } = opts;
  const alias = Prisma.raw(opts.alias);
  const id = Prisma.raw(spec.id.sql);
  const byId = column.sql === spec.id.sql;
  // A subquery cannot have two columns of one name: the id sort selects the id once.
  const keys = byId ? id : Prisma.sql`${Prisma.raw(column.sql)}, ${id}`;
  const where = opts.filter ?? Prisma.sql`TRUE`;
  return {
    read: (segment, scan, take) => {
      const s = segmentSql(spec, column, segment);
      const matches = Prisma.sql`SELECT ${alias}.* FROM ${opts.window(segment, scan, Prisma.sql`${alias}.*`)} WHERE ${where} ORDER BY ${s.orderBy} LIMIT ${take}`;
      const { select } = opts;
      // A join may reorder the rows: the order again over the joined ones.
      return query<Row>(select ? Prisma.sql`SELECT ${select.columns} FROM (${matches}) ${alias} ${select.joins} ORDER BY ${s.orderBy}` : matches);
    },
    edge: (segment, scan) =>
      windowEdge(query, segment, Prisma.sql`(SELECT ${byId ? id : Prisma.raw(column.sql)} AS key_value, ${id} AS key_id FROM ${opts.window(segment, scan, keys)}) k`, scan),
  };
}

// ---------------------------------------------------------------------------------------------
// A page

export type KeysetPage<Row, S extends string> = {
  rows: Row[];
  /** Cursor of the page after this one, or null on the last page. */
  next: Cursor<S> | null;
  /** Cursor of the page before this one, or null on the first page. */
  previous: Cursor<S> | null;
};

/**
 * Reads one page: `read(segment, limit)` runs one segment's query (the caller's SELECT and
 * filters, the segment's WHERE and ORDER BY, LIMIT) and `keyOf` gives a row's (value, id).
 */
export async function fetchKeysetPage<Row, S extends string>(opts: {
  column: Pick<KeyColumn, "nullable">;
  sort: S;
  dir: SortDir;
  cursor: Cursor<S> | null;
  limit: number;
  read: (segment: Segment, limit: number) => Promise<Row[]>;
  keyOf: (row: Row) => RowKey;
}): Promise<KeysetPage<Row, S>> {
  const { sort, dir, cursor, limit } = opts;
  const fetched: Row[] = [];
  for (const segment of keysetSegments(opts.column, dir, cursor)) {
    // One row more than the page: it tells whether another page follows.
    fetched.push(...(await opts.read(segment, limit + 1 - fetched.length)));
    if (fetched.length > limit) break;
  }
  const more = fetched.length > limit;
  const backwards = cursor?.direction === "before";
  const rows = fetched.slice(0, limit);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  // Going forwards, a page exists behind us when we came through a cursor; going backwards, one
  // exists ahead of us by construction. An empty page has nothing to point from.
  const hasNext = backwards ? last !== undefined : more;
  const hasPrevious = backwards ? more : cursor !== null && first !== undefined;
  return {
    rows,
    next: hasNext && last !== undefined ? cursorAt(sort, dir, "after", opts.keyOf(last)) : null,
    previous: hasPrevious && first !== undefined ? cursorAt(sort, dir, "before", opts.keyOf(first)) : null,
  };
}

export type ScannedPage<Row, S extends string> = KeysetPage<Row, S> & {
  /**
   * The budget ran out before the page filled: the link in the reading direction (Next, or
   * Previous when reading backwards) continues the search from where this one stopped.
   */
  partial: boolean;
};

/**
 * One page of a column without NULLs, reading at most `budget` rows of the order (matching or
 * not). A rare filter over ten million rows would otherwise make one statement read millions;
 * here a page that does not fill within the budget comes back partial, with a cursor at the
 * last row read, so each request costs at most the budget and the reader decides to go on.
 *
 * `read(segment, scan, take)`: the matching rows among the next `scan` rows of the range from
 * `segment`, at most `take`, in scan order; `edge(segment, scan)`: the key of the last of those
 * `scan` rows, null when the range ends before (`windowScan` builds both). `keep` is a filter
 * SQL cannot apply (text derived in code): the range is then read in chunks (`chunk` rows, ×4
 * each statement), since the statement cannot stop at `take` matches.
 */
export async function fetchScannedPage<Row, S extends string>(opts: {
  sort: S;
  dir: SortDir;
  cursor: Cursor<S> | null;
  limit: number;
  budget: number;
  chunk?: number;
  read: (segment: Segment, scan: number, take: number) => Promise<Row[]>;
  edge: (segment: Segment, scan: number) => Promise<RowKey | null>;
  keep?: (row: Row) => boolean;
  keyOf: (row: Row) => RowKey;
}): Promise<ScannedPage<Row, S>> {
  const { sort, dir, cursor, limit, budget, keep } = opts;
  let segment = keysetSegments({ nullable: false }, dir, cursor)[0]!;
  const want = limit + 1; // one more than the page: it tells whether another page follows
  const found: Row[] = [];
  let scanned = 0;
  let ended = false;
  let chunk = keep ? Math.max(1, opts.chunk ?? 2000) : budget;
  for (;;) {
    const scan = Math.min(chunk, budget - scanned);
    for (const row of await opts.read(segment, scan, keep ? scan : want - found.length)) {
      if (keep && !keep(row)) continue;
      found.push(row);
      if (found.length === want) break;
    }
    if (found.length === want) break;
    const edge = await opts.edge(segment, scan);
    if (edge === null) {
      ended = true;
      break;
    }
    segment = { ...segment, from: normalizeKey(edge) };
    scanned += scan;
    if (scanned >= budget) break;
    chunk *= 4;
  }
  const more = found.length > limit;
  const partial = !more && !ended;
  const backwards = cursor?.direction === "before";
  const rows = found.slice(0, limit);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  // Where reading stopped: past the extra row, or at the budget's last row (a partial page).
  const onward = (towards: "after" | "before", edgeRow: Row | undefined) =>
    more && edgeRow !== undefined ? cursorAt(sort, dir, towards, opts.keyOf(edgeRow)) : partial ? { sort, dir, direction: towards, ...segment.from! } : null;
  // Behind the page, from its nearest row. An empty page has nothing to point from (a cursor
  // cannot include the row it names); First page is the way back.
  const behind = (towards: "after" | "before", edgeRow: Row | undefined): Cursor<S> | null =>
    edgeRow !== undefined ? cursorAt(sort, dir, towards, opts.keyOf(edgeRow)) : null;
  return backwards
    ? { rows, previous: onward("before", first), next: behind("after", last), partial }
    : { rows, next: onward("after", last), previous: cursor ? behind("before", first) : null, partial };
}

import { describe, expect, it } from "vitest";
import { CursorError, decodeCursor, encodeCursor, fetchKeysetPage, fetchScannedPage, keysetSegments, segmentSql, type Cursor, type KeysetSpec, type KeyValue, type Segment, type SortDir } from "./keyset";

const SPEC: KeysetSpec<"name" | "seen" | "count"> = {
  columns: {
    name: { sql: "d.name", type: "text", nullable: false },
    seen: { sql: "d.seen_at", type: "timestamp", nullable: true },
    count: { sql: "d.n", type: "int", nullable: true },
  },
  id: { sql: "d.id", type: "int" },
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("cursor", () => {
  it("round-trips every kind of value", () => {
    const cursors: Cursor[] = [
      { sort: "name", dir: "asc", direction: "after", value: "Warehouse scanner 07 ✓", id: 5 },
      { sort: "seen", dir: "desc", direction: "before", value: "2026-11-20T10:00:00.123Z", id: 2_147_483_647 },
      { sort: "seen", dir: "asc", direction: "after", value: null, id: 9 },
      { sort: "count", dir: "asc", direction: "after", value: -3, id: 1 },
    ];
    for (const c of cursors) {
      const raw = encodeCursor(c);
      expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(SPEC, raw)).toEqual(c);
    }
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc$def"],
    ["padding", b64({ s: "name" }) + "="],
    ["not JSON", Buffer.from("{nope").toString("base64url")],
    ["an array", b64(["name", "asc", "a", "x", 1])],
    ["a sort column not in the whitelist", b64({ s: "password", d: "asc", k: "a", v: "x", i: 1 })],
    ["an inherited property as sort", b64({ s: "constructor", d: "asc", k: "a", v: "x", i: 1 })],
    ["a bad direction", b64({ s: "name", d: "up", k: "a", v: "x", i: 1 })],
    ["a bad kind", b64({ s: "name", d: "asc", k: "n", v: "x", i: 1 })],
    ["NULL for a column without NULLs", b64({ s: "name", d: "asc", k: "a", v: null, i: 1 })],
    ["a number for a text column", b64({ s: "name", d: "asc", k: "a", v: 5, i: 1 })],
    ["a NUL in text", b64({ s: "name", d: "asc", k: "a", v: "a\u0000b", i: 1 })],
    ["an over-long text", b64({ s: "name", d: "asc", k: "a", v: "x".repeat(1001), i: 1 })],
    ["a time in another form", b64({ s: "seen", d: "asc", k: "a", v: "2026-11-20 10:00:00", i: 1 })],
    ["an impossible time", b64({ s: "seen", d: "asc", k: "a", v: "2026-02-31T10:00:00.000Z", i: 1 })],
    ["a fraction for an int", b64({ s: "count", d: "asc", k: "a", v: 1.5, i: 1 })],
    ["an id of 0", b64({ s: "name", d: "asc", k: "a", v: "x", i: 0 })],
    ["an id as text", b64({ s: "name", d: "asc", k: "a", v: "x", i: "1" })],
    ["an id beyond int", b64({ s: "name", d: "asc", k: "a", v: "x", i: 2_147_483_648 })],
    ["too long", "A".repeat(2049)],
  ])("refuses %s", (_, raw) => {
    expect(() => decodeCursor(SPEC, raw)).toThrow(CursorError);
  });

  it("checks bigint ids as decimal strings", () => {
    const spec: KeysetSpec<"name"> = { columns: { name: SPEC.columns.name }, id: { sql: "l.id", type: "bigint" } };
    const c: Cursor = { sort: "name", dir: "asc", direction: "after", value: "x", id: "9007199254740993" };
    expect(decodeCursor(spec, encodeCursor(c))).toEqual(c);
    expect(() => decodeCursor(spec, encodeCursor({ ...c, id: 5 }))).toThrow(CursorError);
    expect(() => decodeCursor(spec, encodeCursor({ ...c, id: "9223372036854775808" }))).toThrow(CursorError);
  });
});

describe("segments", () => {
  const nullable = { nullable: true };
  const at = (direction: "after" | "before", value: KeyValue, id = 1) => ({ direction, value, id });
  it("reads values then NULLs going forwards, NULLs then values going backwards", () => {
    expect(keysetSegments(nullable, "asc", null)).toEqual([
      { rows: "values", scan: "asc", from: null },
      { rows: "nulls", scan: "asc", from: null },
    ]);
    expect(keysetSegments(nullable, "desc", at("after", "m"))).toEqual([
      { rows: "values", scan: "desc", from: { value: "m", id: 1 } },
      { rows: "nulls", scan: "desc", from: null },
    ]);
    expect(keysetSegments(nullable, "asc", at("after", null))).toEqual([{ rows: "nulls", scan: "asc", from: { value: null, id: 1 } }]);
    expect(keysetSegments(nullable, "asc", at("before", "m"))).toEqual([{ rows: "values", scan: "desc", from: { value: "m", id: 1 } }]);
    expect(keysetSegments(nullable, "asc", at("before", null))).toEqual([
      { rows: "nulls", scan: "desc", from: { value: null, id: 1 } },
      { rows: "values", scan: "desc", from: null },
    ]);
    expect(keysetSegments({ nullable: false }, "desc", at("before", "m"))).toEqual([{ rows: "all", scan: "asc", from: { value: "m", id: 1 } }]);
  });

  it("writes one row comparison for an index range, with values as parameters", () => {
    const { where, orderBy } = segmentSql(SPEC, SPEC.columns.seen, { rows: "values", scan: "desc", from: { value: "2026-11-20T10:00:00.000Z", id: 7 } });
    expect(where.sql).toBe("d.seen_at IS NOT NULL AND (d.seen_at, d.id) < (?::timestamptz, ?::int)");
    expect(where.values).toEqual(["2026-11-20T10:00:00.000Z", 7]);
    expect(orderBy.sql).toBe("d.seen_at DESC, d.id DESC");
    const nulls = segmentSql(SPEC, SPEC.columns.seen, { rows: "nulls", scan: "asc", from: { value: null, id: 3 } });
    expect([nulls.where.sql, nulls.orderBy.sql]).toEqual(["d.seen_at IS NULL AND d.id > ?::int", "d.id ASC"]);
    expect(segmentSql(SPEC, SPEC.columns.name, { rows: "all", scan: "asc", from: null }).where.sql).toBe("TRUE");
  });
});

// The algorithm over random data: a segment evaluated in memory as the SQL would, then every
// page walked forwards and backwards must give the whole order, once, in order.
type Item = { id: number; value: KeyValue };

function cmp(a: KeyValue, b: KeyValue): number {
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

function readInMemory(items: Item[], segment: Segment, limit: number): Item[] {
  const sign = segment.scan === "asc" ? 1 : -1;
  const key = (x: Item, y: { value: KeyValue; id: number | string }) => (segment.rows === "nulls" ? 0 : cmp(x.value, y.value)) || x.id - Number(y.id);
  return items
    .filter((x) => (segment.rows === "values" ? x.value !== null : segment.rows === "nulls" ? x.value === null : true))
    .filter((x) => segment.from === null || sign * key(x, segment.from) > 0)
    .sort((x, y) => sign * key(x, y))
    .slice(0, limit);
}

function expectedOrder(items: Item[], dir: SortDir): Item[] {
  const sign = dir === "asc" ? 1 : -1;
  const values = items.filter((x) => x.value !== null).sort((x, y) => sign * (cmp(x.value, y.value) || x.id - y.id));
  const nulls = items.filter((x) => x.value === null).sort((x, y) => sign * (x.id - y.id));
  return [...values, ...nulls];
}

function random(seed: number) {
  let a = seed;
  return () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
}

describe("pages over random data, with duplicates and NULLs", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("seed %i: forwards and backwards give every row once, in order", async (seed) => {
    const rnd = random(seed);
    const n = Math.floor(rnd() * 60);
    const nullShare = [0, 0.3, 1][seed % 3]!;
    const items: Item[] = Array.from({ length: n }, (_, i) => ({ id: i * 3 + 1, value: rnd() < nullShare ? null : Math.floor(rnd() * 8) }));
    const nullable = nullShare > 0;
    for (const dir of ["asc", "desc"] as const) {
      const limit = 1 + Math.floor(rnd() * 7);
      const page = (cursor: Cursor<"count"> | null) =>
        fetchKeysetPage({ column: { nullable }, sort: "count" as const, dir, cursor, limit, read: async (s, l) => readInMemory(items, s, l), keyOf: (x) => x });
      const forward: Item[][] = [];
      let p = await page(null);
      expect(p.previous).toBeNull();
      forward.push(p.rows);
      while (p.next) {
        p = await page(p.next);
        forward.push(p.rows);
      }
      expect(forward.flat()).toEqual(expectedOrder(items, dir));
      expect(forward.slice(0, -1).every((rows) => rows.length === limit)).toBe(true);

      const backward: Item[][] = [p.rows];
      while (p.previous) {
        p = await page(p.previous);
        backward.unshift(p.rows);
      }
      expect(backward).toEqual(forward);
    }
  });
});

describe("a sort by the id itself (bigint)", () => {
  const LOG: KeysetSpec<"id"> = { columns: { id: { sql: "l.id", type: "bigint", nullable: false } }, id: { sql: "l.id", type: "bigint" } };
  it("round-trips its cursor and reads a plain id range", () => {
    const c: Cursor = { sort: "id", dir: "desc", direction: "after", value: "9007199254740993", id: "9007199254740993" };
    expect(decodeCursor(LOG, encodeCursor(c))).toEqual(c);
    expect(() => decodeCursor(LOG, encodeCursor({ ...c, value: 12 }))).toThrow(CursorError);
    const s = segmentSql(LOG, LOG.columns.id, { rows: "all", scan: "desc", from: { value: "10", id: "10" } });
    expect([s.where.sql, s.orderBy.sql]).toEqual(["l.id < ?::bigint", "l.id DESC"]);
  });
});

describe("fetchScannedPage: a bounded read per page", () => {
  // A column without NULLs; `hit` is the filter SQL would apply, `text` one only code can.
  type Row = Item & { hit: boolean; text: string };
  function source(items: Row[], reads: number[]) {
    const inRange = (segment: Segment, scan: number) => readInMemory(items, segment, scan) as Row[];
    return {
      read: async (segment: Segment, scan: number, take: number) => {
        reads.push(scan);
        return inRange(segment, scan).filter((x) => x.hit).slice(0, take);
      },
      edge: async (segment: Segment, scan: number) => {
        const window = inRange(segment, scan);
        return window.length === scan ? window[window.length - 1]! : null;
      },
    };
  }

  it.each([1, 2, 3, 4, 5, 6])("seed %i: pages, partial or not, give every match once, in order, both ways", async (seed) => {
    const rnd = random(seed * 7919);
    const n = 20 + Math.floor(rnd() * 300);
    const density = [0.02, 0.1, 0.5, 1][seed % 4]!;
    const items: Row[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, value: Math.floor(rnd() * 40), hit: rnd() < density, text: rnd() < 0.5 ? "odd" : "even" }));
    for (const dir of ["asc", "desc"] as const) {
      for (const keep of [undefined, (r: Row) => r.text === "odd"]) {
        const reads: number[] = [];
        const limit = 1 + Math.floor(rnd() * 6);
        const budget = 5 + Math.floor(rnd() * 40);
        const { read, edge } = source(items, reads);
        // Each request's statements, summed: the budget bounds a page's reading, not one statement's.
        const perPage: number[] = [];
        const page = async (cursor: Cursor<"count"> | null) => {
          const before = reads.length;
          const got = await fetchScannedPage({ sort: "count" as const, dir, cursor, limit, budget, chunk: 3, read, edge, keep, keyOf: (x) => x });
          perPage.push(reads.slice(before).reduce((a, b) => a + b, 0));
          return got;
        };
        const expected = expectedOrder(items, dir).filter((x) => (x as Row).hit && (!keep || keep(x as Row)));

        const forward: { rows: Row[]; partial: boolean }[] = [];
        let p = await page(null);
        let partials = p.partial ? 1 : 0;
        let lastWithRows = p.rows.length > 0 ? p : null;
        forward.push(p);
        while (p.next) {
          p = await page(p.next);
          partials += p.partial ? 1 : 0;
          if (p.rows.length > 0) lastWithRows = p;
          forward.push(p);
        }
        expect(forward.flatMap((f) => f.rows)).toEqual(expected);
        // Each page is full, or partial itself (its search stopped at the budget), or the last.
        forward.forEach((f, i) => {
          expect(f.rows.length).toBeLessThanOrEqual(limit);
          if (f.rows.length < limit && i < forward.length - 1) expect(f.partial, `page ${i} of ${forward.length} is short`).toBe(true);
        });
        // No statement reads past the budget, and a page's statements together neither.
        expect(Math.max(...reads)).toBeLessThanOrEqual(budget);
        for (const total of perPage) expect(total).toBeLessThanOrEqual(budget);
        if (density < 0.05 && limit * 3 < n * density) expect(partials).toBeGreaterThan(0);

        // Backwards from the last page with rows, through Previous links (partial ones too): the
        // same rows. (An empty page has nothing to point back from.)
        let b = lastWithRows;
        const backward: Row[] = [...(b?.rows ?? [])];
        while (b?.previous) {
          b = await page(b.previous);
          backward.unshift(...b.rows);
        }
        expect(backward).toEqual(expected);
      }
    }
  });

  it("a page that does not fill within the budget is partial, and its Next goes on from the last row read", async () => {
    // 100 rows, matches only at ids 10 and 95, pages of 5, budget 30: from the start, the first
    // page finds id 10 and stops at row 30, then rows 31–60 and 61–90 hold nothing, then 95.
    const items: Row[] = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, value: i + 1, hit: i + 1 === 10 || i + 1 === 95, text: "" }));
    const reads: number[] = [];
    const { read, edge } = source(items, reads);
    const page = (cursor: Cursor<"count"> | null) => fetchScannedPage({ sort: "count" as const, dir: "asc", cursor, limit: 5, budget: 30, read, edge, keyOf: (x) => x });
    const first = await page(null);
    expect(first.rows.map((r) => r.id)).toEqual([10]);
    expect(first).toMatchObject({ partial: true, previous: null, next: { direction: "after", value: 30, id: 30 } });
    const second = await page(first.next);
    expect(second).toMatchObject({ rows: [], partial: true, previous: null, next: { value: 60, id: 60 } });
    const third = await page(second.next);
    expect(third).toMatchObject({ rows: [], partial: true, next: { value: 90, id: 90 } });
    const last = await page(third.next);
    expect(last.rows.map((r) => r.id)).toEqual([95]);
    expect(last).toMatchObject({ partial: false, next: null, previous: { direction: "before", value: 95, id: 95 } });
    // Previous from there searches backwards with the same budget: rows 94 down to 65.
    const back = await page(last.previous);
    expect(back).toMatchObject({ rows: [], partial: true, previous: { direction: "before", value: 65, id: 65 }, next: null });
    // Each statement read at most the budget: one read and one edge per request here.
    expect(reads.every((r) => r <= 30)).toBe(true);
  });

  it("a full page reads no further than its extra row, in one statement", async () => {
    const items: Row[] = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, value: i, hit: true, text: "" }));
    const reads: number[] = [];
    const { read, edge } = source(items, reads);
    const p = await fetchScannedPage({ sort: "count" as const, dir: "desc", cursor: null, limit: 50, budget: 50_000, read, edge: async (s, n) => (reads.push(-1), edge(s, n)), keyOf: (x) => x });
    expect(p.rows).toHaveLength(50);
    expect(p.partial).toBe(false);
    expect(reads).toEqual([50_000]);
  });
});

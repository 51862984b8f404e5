/**
 * The hand-written SQL path: a plain `pg` pool for the statements where Prisma's per-call cost
 * matters (the device path) and for the job writer, which must run inside the same transaction
 * as the device path. Prisma (client.ts) stays the console's reader.
 *
 * Statements are declared once, at module level, with a name: on a real PostgreSQL they become
 * named prepared statements, planned once per connection instead of on every call (the ingest
 * profile showed re-planning as about half of PostgreSQL's cost). The embedded PGlite runs every
 * client connection on one session, where a name prepared by one connection collides with the
 * next one's ("prepared statement already exists"), so there the names are dropped.
 */
import pg from "pg";
import { databaseUrl } from "./client";

export type Statement<Row> = { readonly name: string; readonly text: string; readonly _row?: Row };

const declared = new Map<string, Statement<unknown>>();

/** Declares a statement. Names are unique: two statements under one name would share a plan. */
export function statement<Row = Record<string, unknown>>(name: string, text: string): Statement<Row> {
  if (declared.has(name)) throw new Error(`SQL statement "${name}" is declared twice`);
  const s = { name, text };
  declared.set(name, s);
  return s;
}

/** Every statement declared so far (the schema test prepares each against the migrated schema). */
export function declaredStatements(): Statement<unknown>[] {
  return [...declared.values()];
}

export type Sql = {
  query<Row>(s: Statement<Row>, values: unknown[]): Promise<Row[]>;
};

export type SqlPool = Sql & {
  /**
   * A statement built per call (a list's filters, by a query builder), so it has no name and is
   * planned each time; outside any transaction. Its text is never input: values are parameters.
   */
  queryBuilt<Row>(text: string, values: unknown[]): Promise<Row[]>;
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  end(): Promise<void>;
  /** Whether the server is the embedded PGlite; null until the pool's first statement has told. */
  embedded(): boolean | null;
};

// `timestamp without time zone` holds device wall times as UTC fields (status-report.ts); pg's
// default would read them in the server process's local zone.
const TIMESTAMP_OID = 1114;
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP_OID && format !== "binary") return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format);
  },
};

function createPool(url: string, opts: { bestEffort?: boolean } = {}): SqlPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    types: types as pg.CustomTypesConfig,
    // Commits on these connections do not wait for the WAL flush (see bestEffortSql).
    ...(opts.bestEffort ? { options: "-c synchronous_commit=off" } : {}),
  });
  // An idle client losing its connection (database restarted) must not crash the process.
  pool.on("error", (error) => console.error("database connection lost", error.message));
  let embedded: boolean | null = null;
  let named: Promise<boolean> | null = null;
  const useNames = () =>
    (named ??= pool.query<{ v: string }>("SELECT version() AS v").then(
      (r) => {
        embedded = /PGlite/i.test(r.rows[0]?.v ?? "");
        return !embedded;
      },
      (error) => {
        named = null;
        throw error;
      },
    ));

  async function run<Row>(client: pg.Pool | pg.PoolClient, s: Statement<Row>, values: unknown[]): Promise<Row[]> {
    const config = (await useNames()) ? { name: s.name, text: s.text, values } : { text: s.text, values };
    return (await client.query(config)).rows as Row[];
  }

  return {
    query: (s, values) => run(pool, s, values),
    queryBuilt: async <Row>(text: string, values: unknown[]) => (await pool.query({ text, values })).rows as Row[],
    async transaction(fn) {
      await useNames();
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({ query: (s, values) => run(client, s, values) });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    end: () => pool.end(),
    embedded: () => embedded,
  };
}

const g = globalThis as unknown as { deploydeskSql?: SqlPool; deploydeskBestEffortSql?: SqlPool };

/** The process's pool, created on first use (one per process, as for the Prisma client). */
export function sql(): SqlPool {
  return (g.deploydeskSql ??= createPool(databaseUrl()));
}

/**
 * A pool for writes that may be lost in a crash without harm, whose commits therefore do not
 * wait for the WAL flush (`synchronous_commit = off`: the last fraction of a second can be lost,
 * never made inconsistent). Only the poll's bookkeeping uses it: last poll time, identification,
 * cursor; the device polls again within the hour. Everything a device is told was accepted
 * (reports, inventories) goes through `sql()`, durable. On the embedded PGlite, whose one
 * session all connections share, the setting would reach every connection: there it is the
 * same pool as `sql()`.
 */
export function bestEffortSql(): SqlPool {
  // Until the durable pool has told which server this is (its first statement does), the durable pool.
  const embedded = sql().embedded();
  if (embedded !== false) return sql();
  return (g.deploydeskBestEffortSql ??= createPool(databaseUrl(), { bestEffort: true }));
}

export async function closeSql(): Promise<void> {
  const pools = [g.deploydeskSql, g.deploydeskBestEffortSql];
  g.deploydeskSql = undefined;
  g.deploydeskBestEffortSql = undefined;
  await Promise.all(pools.map((p) => p?.end()));
}

// Driver adapter factory for the WebAssembly schema engine (lib/db/migrate.ts), over @prisma/adapter-pg
// 7.10.1 with the fixes the engine needs (docs: toolchain.md §3 and §4). Server-side Node only.
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PGLITE_EXTENSIONS } from "./pglite-extensions";

const CHAR_OID = 18;
const TEXT_OID = 25;

// adapter-pg's private per-query I/O and error conversion, reached into by fixes B and C.
type PgInternals = {
  performIO(query: SqlQuery): Promise<pg.QueryArrayResult>;
  onError(error: unknown): never;
};

export type EngineAdapterFactory = {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Disposes the main-database adapters the engine opened: freeing the engine does not. */
  close(): Promise<void>;
};

export function createEngineAdapterFactory(databaseUrl: string): EngineAdapterFactory {
  const main = new PrismaPg({ connectionString: databaseUrl });
  const open = new Set<SqlDriverAdapter>();
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: main.provider,
    adapterName: main.adapterName,
    async connect() {
      const adapter = fixPgAdapter(await main.connect());
      open.add(adapter);
      return onDispose(adapter, async () => void open.delete(adapter));
    },
    // Fix A: PrismaPg's own shadow is the main database when built from a connection string, and
    // leaks `prisma_migrate_shadow_db_*` otherwise ("is being accessed by other users").
    // PGlite serves one database whatever name a client asks for, so its shadow is a separate
    // in-memory PGlite; its version() reads "PostgreSQL 18.6 (PGlite 0.5.14) on wasm32…".
    async connectToShadowDb() {
      const isPglite = await withClient(databaseUrl, async (c) =>
        (await c.query<{ v: string }>("SELECT version() AS v")).rows[0]?.v.includes("PGlite") ?? false);
      return isPglite ? connectPgliteShadow() : connectServerShadow(databaseUrl);
    },
  };
  return { factory, close: async () => void (await Promise.all([...open].map((a) => a.dispose()))) };
}

async function connectServerShadow(databaseUrl: string): Promise<SqlDriverAdapter> {
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  await withClient(databaseUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const adapter = fixPgAdapter(await new PrismaPg({ connectionString: url.toString() }).connect());
  // The adapter's dispose ends its pool; only then can the database be dropped.
  return onDispose(adapter, () => withClient(databaseUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}"`)));
}

async function connectPgliteShadow(): Promise<SqlDriverAdapter> {
  // The shadow replays every migration, CREATE EXTENSION included.
  const db = new PGlite({ extensions: PGLITE_EXTENSIONS });
  // pglite-prisma-adapter pins driver-adapter-utils 7.2.0, whose types differ only nominally.
  const adapter = (await new PrismaPGlite(db).connect()) as unknown as SqlDriverAdapter;
  return onDispose(adapter, () => db.close());
}

/** Runs `after` once the adapter's own dispose has finished. */
function onDispose(adapter: SqlDriverAdapter, after: () => Promise<unknown>): SqlDriverAdapter {
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await after();
  };
  return adapter;
}

function fixPgAdapter(adapter: SqlDriverAdapter & { underlyingDriver(): pg.Pool }): SqlDriverAdapter {
  fixCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => fixCharColumns(await startTransaction(isolationLevel));
  // Fix C: executeScript splits on every ';', even inside quotes, so `DEFAULT 'misc; general'` failed
  // with "unterminated quoted string" and left a failed migration. Send the script whole (simple
  // query protocol, one implicit transaction), as the native engine does.
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      (adapter as unknown as PgInternals).onError(error);
    }
  };
  return adapter;
}

// Fix B: the schema describer reads pg_catalog "char" columns (OID 18), which adapter-pg rejects:
// "Column type 'char' could not be deserialized". Read them as text, then type them Character:
// a Text type makes the engine panic on PostgreSQL 18's contype 'n' ("as char failed").
function fixCharColumns<T extends SqlQueryable>(queryable: T): T {
  const internals = queryable as unknown as PgInternals;
  const performIO = internals.performIO.bind(queryable);
  const charColumns = new WeakMap<SqlQuery, number[]>();
  internals.performIO = async (query) => {
    const result = await performIO(query);
    const indexes = result.fields.flatMap((field, i) => (field.dataTypeID === CHAR_OID ? [i] : []));
    for (const i of indexes) result.fields[i]!.dataTypeID = TEXT_OID;
    if (indexes.length > 0) charColumns.set(query, indexes);
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const resultSet = await queryRaw(query);
    for (const i of charColumns.get(query) ?? []) resultSet.columnTypes[i] = ColumnTypeEnum.Character;
    return resultSet;
  };
  return queryable;
}

async function withClient<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

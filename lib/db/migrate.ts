// Prisma migrations without the prisma CLI: its `migrate` commands spawn a native schema engine that
// would be downloaded, so this drives @prisma/schema-engine-wasm instead (docs: toolchain.md §3).
// Server-side Node only; scripts/db.ts is the command line over it.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { installQueues } from "../delivery/queue";
import { createEngineAdapterFactory } from "./engine-adapter";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const LOCKFILE = "migration_lock.toml";
const filters = { externalTables: [], externalEnums: [] };

export type MigrateOptions = {
  databaseUrl: string;
  /** Defaults to prisma/migrations in the repository. */
  migrationsDir?: string;
  /** Defaults to prisma/schema.prisma in the repository. */
  schemaPath?: string;
  log?: (line: string) => void;
};

export type MigrationStatus = {
  applied: string[];
  pending: string[];
  failed: string[];
  /** Applied, but migration.sql changed since. */
  edited: string[];
  /** Recorded in the database, missing from the migrations folder. */
  missingLocally: string[];
};

/** Applies pending migrations, then installs the outbox queue's own schema (pg-boss manages it). */
export async function deployMigrations(opts: MigrateOptions): Promise<{ applied: string[] }> {
  const result = await withEngine(opts, async (engine, migrations) => {
    const history = await engine.diagnoseMigrationHistory({ migrationsList: await migrations(), optInToShadowDatabase: false, filters });
    if (history.failedMigrationNames.length > 0) throw failedMigrationsError(history.failedMigrationNames);
    const applied = await applyPending(engine, await migrations(), opts.log);
    if (applied.length === 0) opts.log?.("No pending migrations.");
    return { applied };
  });
  await installQueues(opts.databaseUrl);
  return result;
}

export async function migrationStatus(opts: MigrateOptions): Promise<MigrationStatus> {
  return withEngine(opts, async (engine, migrations) => {
    const list = await migrations();
    const result = await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters });
    const history = result.history;
    const pending = history && "unappliedMigrationNames" in history ? history.unappliedMigrationNames : [];
    const missingLocally = history && "unpersistedMigrationNames" in history ? history.unpersistedMigrationNames : [];
    const failed = result.failedMigrationNames;
    const applied = list.migrationDirectories.map((d) => d.path).filter((n) => !pending.includes(n) && !failed.includes(n));
    return { applied, pending, failed, edited: result.editedMigrationNames, missingLocally };
  });
}

/**
 * The `prisma migrate dev` flow: apply pending migrations, then write and apply a migration for the
 * schema changes since the last one. Returns `{ name: null }` when the schema has no changes.
 */
export async function createMigration(opts: MigrateOptions & { name: string }): Promise<{ name: string | null }> {
  const log = opts.log ?? (() => {});
  return withEngine(opts, async (engine, migrations, schema, migrationsDir) => {
    // devDiagnostic replays the history on a shadow database and caches the result in this engine
    // instance. evaluateDataLoss and createMigration need that cache: without it they fail with
    // "PostgreSQL shadow DB must be provided through an external factory". Applying a migration
    // empties it, hence the second diagnostic.
    const diagnose = async () => {
      const { action } = await engine.devDiagnostic({ migrationsList: await migrations(), filters });
      if (action.tag === "reset") throw new Error(`The database does not match the migration history: ${action.reason}`);
    };
    await diagnose();
    if ((await applyPending(engine, await migrations(), log)).length > 0) await diagnose();
    const { unexecutableSteps, warnings } = await engine.evaluateDataLoss({ migrationsList: await migrations(), schema, filters });
    for (const step of [...unexecutableSteps, ...warnings]) log(`Warning: ${step.message}`);
    const created = await engine.createMigration({
      draft: false,
      migrationName: toMigrationName(opts.name),
      migrationsList: await migrations(),
      schema,
      filters,
    });
    if (created.migrationScript === null) {
      log("The schema has no changes: no migration created.");
      return { name: null };
    }
    const name = created.generatedMigrationName;
    const file = path.join(migrationsDir, name, `migration.${created.extension}`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, created.migrationScript);
    await writeFile(path.join(migrationsDir, LOCKFILE),
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n');
    log(`Created ${path.relative(process.cwd(), file)}`);
    if (unexecutableSteps.length > 0) {
      // Applying it would fail and record a failed migration; let the developer edit it first.
      log("Not applied: edit it so that it runs on the existing data, then apply it with `npm run db:deploy`.");
    } else {
      await applyPending(engine, await migrations(), log);
    }
    return { name };
  });
}

type Engine = bg.SchemaEngine;

async function applyPending(engine: Engine, migrationsList: bg.MigrationList, log?: (line: string) => void): Promise<string[]> {
  const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters });
  for (const name of appliedMigrationNames) log?.(`Applied ${name}`);
  return appliedMigrationNames;
}

function failedMigrationsError(names: string[]): Error {
  const list = names.map((n) => `'${n}'`).join(", ");
  return new Error(
    `Migration ${list} failed in an earlier run; no further migrations are applied until it is resolved. ` +
      "A migration runs as one transaction unless its script commits by itself, so normally none of it remains: " +
      "fix its migration.sql, then mark the failed run rolled back and deploy again:\n" +
      `  UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name IN (${list}) AND finished_at IS NULL;`,
  );
}

/**
 * Engine errors read "external connector error\n<cause>" followed by a Rust span trace; keep the
 * cause and name the migration the trace points at.
 */
function readableEngineError(error: unknown): unknown {
  if (!(error instanceof Error) || !error.message.includes("\n   0: ")) return error;
  const cause = error.message.split("\n   0: ")[0]!.replace(/^external connector error\n/, "");
  const migration = /apply_script\s+with migration_name="([^"]+)"/.exec(error.message)?.[1];
  return new Error(migration ? `Migration ${migration} failed: ${cause}` : cause, { cause: error });
}

/** Prisma CLI style: lower case, words joined by underscores. */
function toMigrationName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 200);
  if (!slug) throw new Error(`Invalid migration name: '${name}'`);
  return slug;
}

async function readMigrations(migrationsDir: string): Promise<bg.MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: await readFile(path.join(migrationsDir, LOCKFILE), "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(dirs.map(async (dir) => {
      const file = path.join(migrationsDir, dir, "migration.sql");
      return {
        path: dir,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(file, "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (error: Error) => ({ tag: "error" as const, value: error.message }),
          ),
        },
      };
    })),
  };
}

async function withEngine<T>(
  opts: MigrateOptions,
  run: (engine: Engine, migrations: () => Promise<bg.MigrationList>, schema: bg.SchemasContainer, migrationsDir: string) => Promise<T>,
): Promise<T> {
  const migrationsDir = path.resolve(opts.migrationsDir ?? path.join(repoRoot, "prisma/migrations"));
  const schemaPath = path.resolve(opts.schemaPath ?? path.join(repoRoot, "prisma/schema.prisma"));
  const schema = { files: [{ path: schemaPath, content: await readFile(schemaPath, "utf8") }] };
  await loadWasm();
  const adapters = createEngineAdapterFactory(opts.databaseUrl);
  try {
    const engine = await bg.SchemaEngine.new(
      { datamodels: schema.files.map((f): [string, string] => [f.path, f.content]) },
      () => {}, // engine trace logs
      bindMigrationAwareSqlAdapterFactory(adapters.factory),
    );
    try {
      return await run(engine, () => readMigrations(migrationsDir), schema, migrationsDir);
    } catch (error) {
      throw readableEngineError(error);
    } finally {
      engine.free();
    }
  } finally {
    await adapters.close();
  }
}

let wasmReady: Promise<void> | undefined;

/** Instantiates the engine's wasm once per process (the glue module keeps it in a module global). */
function loadWasm(): Promise<void> {
  return (wasmReady ??= (async () => {
    // The .wasm is not in the package's "exports": resolve an exported subpath and take its folder.
    const glue = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const module = await WebAssembly.compile(await readFile(path.join(path.dirname(glue), "schema_engine_bg.wasm")));
    const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })());
}

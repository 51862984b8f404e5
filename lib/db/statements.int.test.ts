/**
 * Every hand-written statement (lib/db/sql.ts `statement`) against the migrated schema: each is
 * prepared by the server, which resolves every table, column, type and cast, so a Prisma
 * schema change that breaks one fails here rather than on a device.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { databaseUrl } from "./client";
import { closeSql, declaredStatements } from "./sql";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every module under lib/ that declares statements, found by looking for `statement<`/`statement(`. */
function modulesWithStatements(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry === "generated" ? [] : modulesWithStatements(full);
    if (!/\.ts$/.test(entry) || /\.test\.ts$/.test(entry)) return [];
    return /\bstatement(<[^>]*>)?\(\s*"/.test(readFileSync(full, "utf8")) ? [full] : [];
  });
}

afterAll(() => closeSql());

it("prepares every declared statement against the migrated schema", async () => {
  const modules = modulesWithStatements(path.join(ROOT, "lib"));
  expect(modules.length).toBeGreaterThan(5);
  for (const m of modules) await import(m);
  const statements = declaredStatements();
  expect(statements.length).toBeGreaterThan(20);
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    const failures: string[] = [];
    for (const s of statements) {
      await client.query(`PREPARE schema_check AS ${s.text}`).then(
        () => client.query("DEALLOCATE schema_check"),
        (error: Error) => failures.push(`${s.name}: ${error.message}`),
      );
    }
    expect(failures).toEqual([]);
  } finally {
    await client.end();
  }
});

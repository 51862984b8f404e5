/**
 * `npm test`: the whole suite, from a fresh clone.
 *
 *   unit (vitest, pure) → integration (vitest, real PostgreSQL) → next build → e2e (Playwright
 *   in Debian's Chromium against `next start`).
 *
 * Database: TEST_DATABASE_URL when set (CI: the PostgreSQL on 127.0.0.1:5432); its database is
 * created if missing and its public schema is wiped, so the URL must point at a local server.
 * Without it the suite runs on a throw-away in-memory embedded PostgreSQL (PGlite).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openMigratedDatabase, redactUrl } from "./lib/database";
import { ensureBuild, ensurePrismaClient, runAsync } from "./lib/toolchain";

ensurePrismaClient();

async function prepareServerDatabase(url: string): Promise<void> {
  const target = new URL(url);
  // Like dub's test setup: never wipe a database that is not on this machine.
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(target.hostname)) {
    throw new Error(`TEST_DATABASE_URL must point at a local server (got ${target.hostname}); the tests wipe it.`);
  }
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  await admin.end();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The outbox queue's schema too (pg-boss's, lib/delivery/queue.ts): its jobs name messages the wipe removes.
  await client.query('DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; CREATE SCHEMA public;');
  await client.end();
}

const database = await openMigratedDatabase({ url: process.env.TEST_DATABASE_URL, dataDir: null, prepare: prepareServerDatabase });
const databaseUrl = database.url;
console.log(database.embedded ? `Testing on embedded PostgreSQL at ${databaseUrl}` : `Testing on ${redactUrl(databaseUrl)}`);

// Package and collected files of the tests go to a throw-away folder, not to .data.
const storage = mkdtempSync(path.join(tmpdir(), "deploydesk-test-files-"));
const env = { DATABASE_URL: databaseUrl, DEPLOYDESK_STORAGE_DIR: storage };
// Both runners also write JSON so the run can end with one "N passed, N failed" line.
const REPORTS = ".test-reports";
rmSync(REPORTS, { recursive: true, force: true });
const allSteps: [string, () => Promise<number>][] = [
  ["typecheck", () => runAsync("npx", ["tsc", "--noEmit"])],
  ["unit + integration", () => runAsync("npx", ["vitest", "run", "--project", "unit", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/vitest.json`], env)],
  ["build", async () => (ensureBuild(true), 0)],
  ["system (npm start, stopped every way)", () => runAsync("npx", ["vitest", "run", "--project", "system", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/system.json`])],
  ["e2e", () => runAsync("npx", ["playwright", "test"], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: `${REPORTS}/e2e.json` })],
];
// DEPLOYDESK_TEST_ONLY=integration runs that tier alone: CI runs it a second time on the embedded
// PGlite, whose one-transaction-at-a-time session turns some mistakes into hangs a real
// PostgreSQL never shows. Files named after it narrow the run (`… scripts/test.ts lib/delivery`).
const only = process.argv.slice(2);
const steps =
  process.env.DEPLOYDESK_TEST_ONLY === "integration"
    ? [["integration", () => runAsync("npx", ["vitest", "run", "--project", "integration", ...only, "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/vitest.json`], env)] as [string, () => Promise<number>]]
    : allSteps;

let failed: string | null = null;
for (const [name, step] of steps) {
  console.log(`\n=== ${name} ===`);
  const code = await step().catch((e: unknown) => (console.error(e), 1));
  if (code !== 0) {
    failed = name;
    break;
  }
}
await database.stop();
rmSync(storage, { recursive: true, force: true });

function counts(): { passed: number; failed: number } {
  const read = (f: string) => (existsSync(f) ? JSON.parse(readFileSync(f, "utf8")) : null);
  const v = [read(`${REPORTS}/vitest.json`), read(`${REPORTS}/system.json`)];
  const e = read(`${REPORTS}/e2e.json`);
  return {
    passed: v.reduce((n, r) => n + (r?.numPassedTests ?? 0), 0) + (e?.stats?.expected ?? 0) + (e?.stats?.flaky ?? 0),
    failed: v.reduce((n, r) => n + (r?.numFailedTests ?? 0), 0) + (e?.stats?.unexpected ?? 0),
  };
}
const { passed, failed: failedCount } = counts();
console.log(failed ? `\nnpm test: ${failed} failed.` : "\nnpm test: all tiers passed.");
console.log(`tests: ${passed} passed, ${failed && failedCount === 0 ? 1 : failedCount} failed`);
// Exit explicitly: the wasm schema engine leaves a timer that would hold the process ~10 s.
process.exit(failed ? 1 : 0);

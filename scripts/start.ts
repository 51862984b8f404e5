/**
 * `npm start`: everything a fresh clone needs to show the console.
 *
 * With no DATABASE_URL it starts the embedded PostgreSQL (PGlite served on a loopback port,
 * data in .data/pglite), applies migrations, seeds demo data, builds if needed and runs
 * `next start`. With DATABASE_URL it applies migrations to that database and serves it (demo
 * data only with DEPLOYDESK_SEED=1). The app itself only ever sees a DATABASE_URL.
 *
 * Flags: --dev runs `next dev` instead of a production build.
 */
import { openMigratedDatabase } from "./lib/database";
import { ensureBuild, ensurePrismaClient, NEXT_BIN, ROOT } from "./lib/toolchain";
import { spawn } from "node:child_process";
import path from "node:path";

const dev = process.argv.includes("--dev");
const port = process.env.PORT ?? "3000";

ensurePrismaClient();
const database = await openMigratedDatabase({
  url: process.env.DATABASE_URL,
  dataDir: path.join(ROOT, ".data/pglite"),
  port: Number(process.env.PGLITE_PORT ?? 0),
  log: (line) => console.log(line),
});
const databaseUrl = database.url;
process.env.DATABASE_URL = databaseUrl;
if (database.embedded) console.log(`Embedded PostgreSQL (PGlite) on ${databaseUrl}, data in .data/pglite`);

if (database.embedded || process.env.DEPLOYDESK_SEED === "1") {
  // Imported after generation: these modules load the generated client.
  const { seedDemoData } = await import("../prisma/seed");
  const { db } = await import("@/lib/db/client");
  const { closeSql } = await import("@/lib/db/sql");
  await seedDemoData();
  await db().$disconnect();
  await closeSql();
  console.log("Demo data is in place.");
}
if (!dev) ensureBuild();

const next = spawn(NEXT_BIN, [dev ? "dev" : "start", "-p", port], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1" },
});
console.log(`DeployDesk console: http://localhost:${port}/devices`);

// On a signal: stop Next first and wait for it, then close PGlite (a clean close is what makes
// the data folder safe to reopen), then exit with the conventional code.
const nextExited = new Promise<number>((resolve) => next.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (next.exitCode === null && next.signalCode === null) next.kill("SIGTERM");
    await nextExited;
    await database.stop();
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(130));
process.on("SIGTERM", () => void shutdown(143));
void nextExited.then((code) => shutdown(code));

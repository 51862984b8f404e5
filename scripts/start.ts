/**
 * `npm start`: everything a fresh clone needs to show the console.
 *
 * With no DATABASE_URL it starts the embedded PostgreSQL (PGlite served on a loopback port,
 * data in .data/pglite, or DEPLOYDESK_DATA_DIR), applies migrations, seeds demo data, builds if
 * needed and runs the app server (scripts/serve.ts) as a child process. With DATABASE_URL it
 * applies migrations to that database and serves it (demo data only with DEPLOYDESK_SEED=1).
 * The app itself only ever sees a DATABASE_URL.
 *
 * Stopping: Ctrl-C, SIGTERM to this process or its group, or this process's parent going away
 * all take one path: stop the server child and wait for it, then close the embedded database
 * (which releases its lock), then exit. The child also ends by itself if this process dies.
 *
 * Flags: --dev runs Next in development mode instead of a production build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { openMigratedDatabase, type ScriptDatabase } from "./lib/database";
import { installLifecycle } from "./lib/lifecycle";
import { ensureBuild, ensurePrismaClient, OFFLINE_ENV, ROOT } from "./lib/toolchain";

const dev = process.argv.includes("--dev");
const port = process.env.PORT ?? "3000";
const dataRoot = path.resolve(ROOT, process.env.DEPLOYDESK_DATA_DIR || ".data");
const dataDir = path.join(dataRoot, "pglite");
// Package files and collected files: beside the data, unless configured elsewhere.
process.env.DEPLOYDESK_STORAGE_DIR = path.resolve(ROOT, process.env.DEPLOYDESK_STORAGE_DIR || path.join(dataRoot, "files"));

let database: Promise<ScriptDatabase> | null = null;
let server: ChildProcess | null = null;

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

const lifecycle = installLifecycle("deploydesk", async () => {
  if (server) await stopServer(server);
  // Closing PGlite cleanly is what makes the data folder safe to reopen.
  const db = await database?.catch(() => null);
  await db?.stop();
});

try {
  ensurePrismaClient();
  database = openMigratedDatabase({
    url: process.env.DATABASE_URL,
    dataDir,
    port: Number(process.env.PGLITE_PORT ?? 0),
    log: (line) => console.log(line),
  });
  const { url, embedded } = await database;
  if (embedded) console.log(`Embedded PostgreSQL (PGlite) on ${url}, data in ${path.relative(ROOT, dataDir)}`);

  if (embedded || process.env.DEPLOYDESK_SEED === "1") {
    process.env.DATABASE_URL = url;
    // Imported after generation: these modules load the generated client.
    const { seedDemoData } = await import("../prisma/seed");
    const { db } = await import("@/lib/db/client");
    const { closeSql } = await import("@/lib/db/sql");
    await seedDemoData();
    await db().$disconnect();
    await closeSql();
    console.log("Demo data is in place.");
  }
  if (lifecycle.stopping()) await new Promise(() => undefined); // a signal came during set-up
  if (!dev) ensureBuild();

  server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", ...(dev ? ["--dev"] : [])], {
    cwd: ROOT,
    // The IPC channel is how the server knows this process is gone, even after a SIGKILL.
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...OFFLINE_ENV, DATABASE_URL: url, PORT: port },
  });
  server.on("message", (m: { ready?: boolean }) => {
    if (m.ready) console.log(`DeployDesk console: http://localhost:${port}/devices   (Ctrl-C stops it)`);
  });
  server.on("exit", (code, signal) => void lifecycle.shutdown(`server exited (${signal ?? code})`, code ?? 1));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await lifecycle.shutdown("set-up failed", 1);
}

/**
 * `npm run bench:export`: the installation log's CSV export of a million rows, through the
 * real server (scripts/serve.ts, the production build) and GET /api/v1/log with
 * Accept: text/csv, on PostgreSQL and on the embedded PGlite.
 *
 * Per database it writes the same fixture (bulk SQL: 1,000 devices with a job each, 1,000 log
 * rows per job, so `--rows` in all), starts the server, and per run prints the export's
 * duration, bytes and rows, the server's RSS before and at its peak, and the p50 / p95 of
 * another console request (a page of the log, JSON, every 100 ms) during the export, next to
 * the same request without it. `--repeat` runs (3), medians at the end.
 *
 *   --rows N        log rows                                              [1000000]
 *   --repeat N      exports per database                                  [3]
 *   --only pg|embedded
 *   --port N        the server's port                                     [3232]
 *   --database URL  the PostgreSQL to fill (wiped; local only)            [postgresql://postgres@127.0.0.1:5432/deploydesk_log_export]
 *
 * The embedded PGlite runs in memory inside this benchmark's process (as scripts/test.ts runs
 * it); the server under test is a process of its own, so its RSS is the export's alone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openMigratedDatabase, redactUrl } from "./lib/database";
import { ensureBuild, ensurePrismaClient, ROOT } from "./lib/toolchain";
import { percentile, runPerDatabase } from "./lib/bench";
import { printHelpIfAsked } from "./lib/help";

printHelpIfAsked(import.meta.url);
const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    repeat: { type: "string", default: "3" },
    only: { type: "string" },
    port: { type: "string", default: "3232" },
    database: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/deploydesk_log_export" },
    run: { type: "string" },
  },
});
const ROWS = Number(values.rows);
const REPEAT = Number(values.repeat);
const PORT = Number(values.port);
const DEVICES = 1000;

type Run = { ms: number; bytes: number; rows: number; rssBefore: number; rssPeak: number; during: number[]; without: number[] };
type Result = { database: string; runs: Run[] };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

// ---------------------------------------------------------------------------------------------
// The parent: one child process per database, then the table.

if (!values.run) {
  ensurePrismaClient();
  ensureBuild();
  const results = await runPerDatabase<Result>("scripts/bench-export.ts", ["pg", "embedded"].filter((d) => !values.only || values.only === d));
  console.log(`\nCSV export of ${ROWS.toLocaleString("en-US")} log rows (GET /api/v1/log, Accept: text/csv), medians of ${REPEAT} runs`);
  console.log(["database".padEnd(16), "total s", "MiB".padStart(5), "rows/s".padStart(8), "RSS before → peak MiB".padStart(22), "page p50/p95 without".padStart(21), "during export".padStart(14)].join("  "));
  for (const r of results) {
    const m = (f: (run: Run) => number) => median(r.runs.map(f));
    console.log(
      [
        r.database.padEnd(16),
        (m((x) => x.ms) / 1000).toFixed(1).padStart(7),
        mib(m((x) => x.bytes)).padStart(5),
        Math.round(m((x) => x.rows / (x.ms / 1000))).toLocaleString("en-US").padStart(8),
        `${mib(m((x) => x.rssBefore))} → ${mib(m((x) => x.rssPeak))}`.padStart(22),
        `${m((x) => percentile(x.without, 0.5)).toFixed(1)} / ${m((x) => percentile(x.without, 0.95)).toFixed(1)} ms`.padStart(21),
        `${m((x) => percentile(x.during, 0.5)).toFixed(1)} / ${m((x) => percentile(x.during, 0.95)).toFixed(1)} ms`.padStart(14),
      ].join("  "),
    );
    for (const [i, x] of r.runs.entries()) {
      console.log(`  run ${i + 1}: ${(x.ms / 1000).toFixed(1)} s, RSS ${mib(x.rssBefore)} → ${mib(x.rssPeak)} MiB, page p50 ${percentile(x.without, 0.5).toFixed(1)} ms without (n=${x.without.length}) / ${percentile(x.during, 0.5).toFixed(1)} ms during (n=${x.during.length}, max ${Math.max(...x.during).toFixed(0)} ms)`);
    }
  }
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// A child: one database.

async function wipeLocal(url: string): Promise<void> {
  const target = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(target.hostname)) throw new Error(`--database must be on this machine (it is wiped): ${target.hostname}`);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  await admin.connect();
  if ((await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 0) await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  await admin.end();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  await c.end();
}

const database = await openMigratedDatabase({ url: values.run === "pg" ? values.database : undefined, dataDir: null, prepare: wipeLocal });
process.env.DATABASE_URL = database.url;
const label = database.embedded ? "embedded PGlite" : "PostgreSQL";
console.log(`bench:export on ${database.embedded ? "an in-memory embedded PGlite" : redactUrl(database.url)}: writing ${ROWS.toLocaleString("en-US")} log rows…`);
const { createTestBearer } = await import("@/lib/testing/factories");

{
  const c = new pg.Client({ connectionString: database.url });
  await c.connect();
  const t = Date.now();
  await c.query(`INSERT INTO software (id, name, version, kind, package_id, updated_at) VALUES (1, 'Route planner', '4.2', 'OTHER_SOFTWARE', 'B3A1C2D4-0000-4000-8000-000000000001', now())`);
  await c.query(
    `INSERT INTO devices (id, device_uuid, name, platform, updated_at)
     SELECT i, upper(md5('d' || i) || substr(md5('e' || i), 1, 20)), 'Courier handheld, "HAM" ' || lpad(i::text, 5, '0'), 'Windows CE 6.0', now() FROM generate_series(1, $1::int) i`,
    [DEVICES],
  );
  await c.query(
    `INSERT INTO installation_jobs (id, device_id, software_id, method, status, created_at, updated_at)
     SELECT i, i, 1, 'MARK_FOR_INSTALLATION', 'DOWNLOADED', now(), now() FROM generate_series(1, $1::int) i`,
    [DEVICES],
  );
  // In chunks: one statement of a million rows would hold PGlite's memory for all of them.
  for (let from = 0; from < ROWS; from += 100_000) {
    await c.query(
      `INSERT INTO installation_log (job_id, device_id, received_at, device_timestamp, package_id, software_id, message_id, code, data, parameters, status_before, status_after)
       SELECT 1 + i % ${DEVICES}, 1 + i % ${DEVICES}, now() - make_interval(secs => ($3::int - i) * 0.5),
              to_char(now() - make_interval(secs => ($3::int - i) * 0.5), 'YYYY-MM-DD HH24:MI:SS'),
              'B3A1C2D4-0000-4000-8000-000000000001', 1, (ARRAY['11030', '11031', '11032', '11035'])[1 + i % 4], 'STATUS_REPORT', '{}',
              jsonb_build_array(jsonb_build_object('name', 'Return code', 'value', CASE WHEN i % 4 = 2 THEN '0x80072EE7' ELSE '0' END)),
              'INSTALLING_SOFTWARE', 'DOWNLOADED'
         FROM generate_series($1::int, $2::int - 1) i`,
      [from, Math.min(ROWS, from + 100_000), ROWS],
    );
  }
  for (const table of ["devices", "installation_jobs", "software"]) await c.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  await c.query("VACUUM ANALYZE installation_log");
  await c.end();
  console.log(`  written in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const storage = mkdtempSync(path.join(tmpdir(), "deploydesk-bench-export-"));
const { token } = await createTestBearer("readonly");
const auth = { authorization: `Bearer ${token}` };
const base = `http://127.0.0.1:${PORT}`;

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", DATABASE_URL: database.url, DEPLOYDESK_STORAGE_DIR: storage, NEXT_TELEMETRY_DISABLED: "1" },
  });
  await new Promise<void>((resolve, reject) => {
    child.on("message", (m: { ready?: boolean }) => m.ready && resolve());
    child.on("exit", (code) => reject(new Error(`serve.ts exited (${code})`)));
  });
  return child;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** The other console request: a page of the log, as the page's data call makes it. */
async function pageRequest(): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${base}/api/v1/log?limit=50&messageId=11032`, { headers: auth });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`page: HTTP ${res.status}`);
  return performance.now() - t;
}

async function sampleRequests(until: () => boolean, out: number[]): Promise<void> {
  while (!until()) {
    const started = performance.now();
    out.push(await pageRequest());
    const wait = 100 - (performance.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

const server = await startServer();
const pid = server.pid!;
const runs: Run[] = [];
try {
  for (let i = 0; i < 5; i++) await pageRequest(); // warm: routes compiled, pools open
  for (let r = 0; r < REPEAT; r++) {
    // Without the export: 30 requests, 100 ms apart.
    const without: number[] = [];
    let n = 0;
    await sampleRequests(() => n++ >= 30, without);
    const rssBefore = rssOf(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(pid))), 50);
    let done = false;
    const during: number[] = [];
    const t = performance.now();
    const exporting = (async () => {
      const res = await fetch(`${base}/api/v1/log`, { headers: { ...auth, accept: "text/csv" } });
      if (res.status !== 200) throw new Error(`export: HTTP ${res.status}`);
      let bytes = 0;
      let lines = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        for (let k = 0; k < chunk.length; k++) if (chunk[k] === 10) lines++;
      }
      return { bytes, rows: lines - 1 };
    })().finally(() => (done = true));
    await sampleRequests(() => done, during);
    const { bytes, rows } = await exporting;
    const ms = performance.now() - t;
    clearInterval(sampler);
    if (rows !== ROWS) throw new Error(`the export held ${rows} rows, not ${ROWS}`);
    runs.push({ ms, bytes, rows, rssBefore, rssPeak, during, without });
    console.log(`  ${label} run ${r + 1}: ${(ms / 1000).toFixed(1)} s, ${mib(bytes)} MiB, RSS ${mib(rssBefore)} → ${mib(rssPeak)} MiB, page p50 ${percentile(without, 0.5).toFixed(1)} → ${percentile(during, 0.5).toFixed(1)} ms during`);
  }
} finally {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
}
console.log(JSON.stringify({ database: label, runs } satisfies Result));
const { db } = await import("@/lib/db/client");
await db().$disconnect();
const { closeSql } = await import("@/lib/db/sql");
await closeSql();
await database.stop();
process.exit(0);

/**
 * `npm run bench:live`: how long a device's report takes to reach a console page that follows
 * it live, when the report arrives at another process.
 *
 * For each database (PostgreSQL from DATABASE_URL if set, and an in-memory embedded PGlite) and
 * each change-bus mode (notify, and poll as the baseline) it starts a console process
 * (`scripts/serve.ts`) and a device-only process (`scripts/serve.ts --devices-only`, another
 * port, same database), opens GET /api/live?device=… on the console (bearer session token from
 * POST /api/v1/sessions), posts status reports to the device process one after another with
 * random gaps, and measures from the start of each report's POST to the arrival of the SSE event
 * carrying its log row. Then, unless --browser=0, the same with the real device page in
 * Chromium: from the POST's start to the moment the page's log table shows the new row (SSE,
 * router.refresh(), server render, React commit).
 *
 * Options (--name=value or BENCH_NAME): reports (200), browser (40: reports in the page phase),
 * min-gap / max-gap (100 / 300 ms between report starts), port (3430; the device node gets the
 * next one), only (pg | embedded).
 *
 * The embedded PGlite runs inside this benchmark's own process (as scripts/test.ts runs it), so
 * its query work shares an event loop with the clock that times arrivals: if anything, that makes
 * its figures worse than `npm start`'s, where the database has a process to itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openMigratedDatabase, redactUrl } from "./lib/database";
import { percentile, runPerDatabase } from "./lib/bench";
import { ensureBuild, ensurePrismaClient, ROOT } from "./lib/toolchain";

function option(name: string, fallback: string): string {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return flag?.slice(name.length + 3) ?? process.env[`BENCH_${name.toUpperCase().replaceAll("-", "_")}`] ?? fallback;
}
const REPORTS = Number(option("reports", "200"));
const BROWSER_REPORTS = Number(option("browser", "40"));
const MIN_GAP = Number(option("min-gap", "100"));
const MAX_GAP = Number(option("max-gap", "300"));
const PORT = Number(option("port", "3430"));
const ONLY = option("only", "");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const MODES = ["notify", "poll"] as const;
type Mode = (typeof MODES)[number];

type Figures = { n: number; delays: number[]; missing: number; post: number[] };
type Row = { database: string; mode: Mode; stream: Figures; page: Figures | null; consoleStopMs: number };

// ---------------------------------------------------------------------------------------------
// The parent: one child per database (each database gets a fresh process, so its Prisma client,
// pools and the in-process PGlite never outlive their run), then the table.

const RUN = option("run", "");
if (!RUN) {
  ensurePrismaClient();
  ensureBuild();
  const databases = [process.env.DATABASE_URL && ONLY !== "embedded" ? "pg" : null, ONLY !== "pg" ? "embedded" : null].filter((d): d is string => d !== null);
  printTable(await runPerDatabase<Row>("scripts/bench-live.ts", databases));
  process.exit(0);
}


function printTable(rows: Row[]): void {
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "—").padStart(7);
  const line = (database: string, mode: string, f: Figures) => {
    const sorted = [...f.delays].sort((a, b) => a - b);
    // Over every report: a missing one was not there within 2 s either.
    const within = f.delays.filter((d) => d <= 2000).length / f.n;
    const post = [...f.post].sort((a, b) => a - b);
    console.log(
      database.padEnd(22),
      mode.padEnd(7),
      String(f.n).padStart(4),
      ms(percentile(sorted, 0.5)),
      ms(percentile(sorted, 0.95)),
      ms(sorted.at(-1) ?? NaN),
      `${(within * 100).toFixed(1)} %`.padStart(8),
      String(f.missing).padStart(8),
      ms(percentile(post, 0.5)),
    );
  };
  const header = () => console.log("database".padEnd(22), "mode".padEnd(7), "n".padStart(4), "p50 ms".padStart(7), "p95 ms".padStart(7), "max ms".padStart(7), "≤ 2 s".padStart(8), "missing".padStart(8), "POST p50".padStart(7));
  console.log(`\nReport POST start (device-only process) → SSE event on the console process; gaps ${MIN_GAP}–${MAX_GAP} ms`);
  header();
  for (const r of rows) line(r.database, r.mode, r.stream);
  if (rows.some((r) => r.page)) {
    console.log(`\nReport POST start → the device page in Chromium shows the new log row (SSE + router.refresh() + render)`);
    header();
    for (const r of rows) if (r.page) line(r.database, r.mode, r.page);
  }
  console.log(`\nConsole stop with the streams open (SIGTERM → exit): ${rows.map((r) => `${r.database}/${r.mode} ${r.consoleStopMs} ms`).join(", ")}`);
}

// ---------------------------------------------------------------------------------------------
// A child: one database, both modes.

const storage = mkdtempSync(path.join(tmpdir(), "deploydesk-bench-live-"));
const database = await openMigratedDatabase({ url: RUN === "pg" ? process.env.DATABASE_URL : undefined, dataDir: null });
process.env.DATABASE_URL = database.url;
const label = database.embedded ? "embedded PGlite" : "PostgreSQL";
console.log(`bench:live on ${database.embedded ? "an in-memory embedded PGlite" : redactUrl(database.url)}`);
const { createTestDevice, createTestJob, createTestSoftware, createTestUser, statusXml } = await import("@/lib/testing/factories");
const { db } = await import("@/lib/db/client");
const { closeSql } = await import("@/lib/db/sql");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gap = () => MIN_GAP + Math.random() * (MAX_GAP - MIN_GAP);

type Server = { child: ChildProcess; base: string };

/** serve.ts as `npm start` runs it: with an IPC channel, over which it says when it listens. */
async function startServer(port: number, mode: Mode, devicesOnly: boolean): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", ...(devicesOnly ? ["--devices-only"] : [])], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: database.url, DEPLOYDESK_LIVE: mode, DEPLOYDESK_STORAGE_DIR: storage, NEXT_TELEMETRY_DISABLED: "1" },
  });
  await new Promise<void>((resolve, reject) => {
    child.on("message", (m: { ready?: boolean }) => m.ready && resolve());
    child.on("exit", (code) => reject(new Error(`serve.ts${devicesOnly ? " --devices-only" : ""} exited (${code})`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

async function stopServer(s: Server): Promise<number> {
  const started = Date.now();
  const exited = new Promise((resolve) => s.child.once("exit", resolve));
  s.child.kill("SIGTERM");
  await exited;
  return Date.now() - started;
}

/** A device with one job, and a report function: each report a new 11030 (its own log row). */
async function reportingDevice(deviceBase: string) {
  const device = await createTestDevice();
  const software = await createTestSoftware();
  await createTestJob(device.id, software.id);
  let seq = 0;
  return {
    device,
    async report(): Promise<number> {
      const i = seq++;
      const timestamp = `2026-11-21 ${String(10 + Math.floor(i / 3600)).padStart(2, "0")}:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`;
      const started = performance.now();
      const res = await fetch(`${deviceBase}/api/dm`, {
        method: "POST",
        headers: { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token, "X-Device-Action": "Status", "X-Device-client-version": "1.0" },
        body: statusXml([{ packageId: software.packageId, messageId: "11030", timestamp }]),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`report: HTTP ${res.status}`);
      return performance.now() - started;
    },
  };
}

/**
 * Posts `n` reports one after another (each starts a random gap after the previous one's start,
 * but never before its answer: so report k wrote the k-th new log row) and pairs each with the
 * k-th arrival `arrivals()` lists from now on. A report whose row has not arrived 10 s after
 * the last POST is counted as missing.
 */
async function measure(n: number, device: Awaited<ReturnType<typeof reportingDevice>>, arrivals: () => number[] | Promise<number[]>): Promise<Figures> {
  const base = (await arrivals()).length;
  const starts: number[] = [];
  const post: number[] = [];
  let next = performance.now();
  for (let k = 0; k < n; k++) {
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
    starts.push(performance.now());
    next = starts[k]! + gap();
    post.push(await device.report());
  }
  const deadline = performance.now() + 10_000;
  let seen = await arrivals();
  while (seen.length < base + n && performance.now() < deadline) {
    await sleep(20);
    seen = await arrivals();
  }
  const delays: number[] = [];
  for (let k = 0; k < n; k++) {
    const at = seen[base + k];
    if (at !== undefined) delays.push(at - starts[k]!);
  }
  return { n, delays, missing: n - delays.length, post };
}

/** The console's event stream for a device; every new log id it names is one arrival, timed. */
async function openStream(consoleBase: string, token: string, deviceUuid: string) {
  const arrivals: number[] = [];
  const seen = new Set<number>();
  const abort = new AbortController();
  const res = await fetch(`${consoleBase}/api/live?device=${encodeURIComponent(deviceUuid)}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  if (res.status !== 200) throw new Error(`GET /api/live: HTTP ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      const now = performance.now();
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (message.includes("event: ready")) ready();
        const data = /^event: change\ndata: (.*)$/m.exec(message)?.[1];
        if (!data) continue;
        const ids = ((JSON.parse(data) as { logIds: number[] | null }).logIds ?? []).filter((id) => !seen.has(id)).sort((a, b) => a - b);
        for (const id of ids) {
          seen.add(id);
          arrivals.push(now);
        }
      }
    }
  })();
  await isReady;
  return { arrivals, close: () => abort.abort() };
}

/** The device page in Chromium, signed in through the form; each new log row is one arrival. */
async function openPage(consoleBase: string, user: { email: string; password: string }, deviceUuid: string) {
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
  const page = await browser.newPage();
  await page.goto(`${consoleBase}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/devices$/);
  await page.goto(`${consoleBase}/devices/${deviceUuid}`);
  await page.getByRole("status", { name: "Live updates" }).getByText("Live", { exact: true }).waitFor({ timeout: 30_000 });
  // Timestamps on the wall clock (the same on both sides of the browser): each growth of the
  // log table is recorded, once per new row. A string, not a function: tsx would wrap a function.
  await page.evaluate(`(() => {
    window.__rows = [];
    const rows = () => document.querySelectorAll('[data-testid="installation-log"] tbody tr[data-message-id]').length;
    let known = rows();
    new MutationObserver(() => {
      const now = Date.now();
      const count = rows();
      while (known < count) { window.__rows.push(now); known++; }
    }).observe(document.body, { childList: true, subtree: true });
  })()`);
  const wallToPerf = Date.now() - performance.now();
  return {
    async arrivals(): Promise<number[]> {
      return ((await page.evaluate("window.__rows")) as number[]).map((t) => t - wallToPerf);
    },
    close: () => browser.close(),
  };
}

const rows: Row[] = [];
for (const [i, mode] of MODES.entries()) {
  const port = PORT + i * 2;
  const consoleServer = await startServer(port, mode, false);
  const deviceServer = await startServer(port + 1, mode, true);
  const user = await createTestUser("readonly");
  const signIn = await fetch(`${consoleServer.base}/api/v1/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: user.email, password: user.password }) });
  const { token } = (await signIn.json()) as { token: string };

  const streamed = await reportingDevice(deviceServer.base);
  const stream = await openStream(consoleServer.base, token, streamed.device.deviceUuid);
  // Warm-up outside the measure: the device node's statements, the console's route.
  await measure(5, streamed, () => stream.arrivals);
  console.log(`${label}, ${mode}: ${REPORTS} reports to the device node, timed on the console's stream…`);
  const streamFigures = await measure(REPORTS, streamed, () => stream.arrivals);

  let pageFigures: Figures | null = null;
  if (BROWSER_REPORTS > 0 && existsSync(CHROMIUM)) {
    const watched = await reportingDevice(deviceServer.base);
    const page = await openPage(consoleServer.base, user, watched.device.deviceUuid);
    await measure(3, watched, page.arrivals);
    console.log(`${label}, ${mode}: ${BROWSER_REPORTS} reports, timed on the device page in Chromium…`);
    pageFigures = await measure(BROWSER_REPORTS, watched, page.arrivals);
    await page.close();
  }

  // The stream is still open: the stop must not wait for it.
  const consoleStopMs = await stopServer(consoleServer);
  stream.close();
  await stopServer(deviceServer);
  rows.push({ database: label, mode, stream: streamFigures, page: pageFigures, consoleStopMs });
}

for (const r of rows) console.log(JSON.stringify(r));
await db().$disconnect();
await closeSql();
await database.stop();
rmSync(storage, { recursive: true, force: true });
process.exit(0);

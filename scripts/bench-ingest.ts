/**
 * `npm run bench:ingest`: status-report ingest over HTTP, next to a baseline measured in the
 * same run: the endpoint's own service code (authentication and the ingest transaction) called
 * in this process by as many concurrent clients, so the difference is what HTTP and the
 * framework cost.
 *
 * Options (env or --flag=value): clients (16), reports (3000 per phase), port (3400).
 * Database: DATABASE_URL if set (migrations are applied), else an in-memory embedded PGlite.
 * The benchmark starts its own `next start` (building first if needed) so it can sample the
 * server's memory: peak RSS is the highest sum of VmRSS over the server's process tree.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { openMigratedDatabase, redactUrl } from "./lib/database";
import { ensureBuild, ensurePrismaClient, NEXT_BIN, ROOT } from "./lib/toolchain";

function option(name: string, fallback: number): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return Number(flag?.split("=")[1] ?? process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
}
const CLIENTS = option("clients", 16);
const REPORTS = option("reports", 3000);
const PORT = option("port", 3400);

ensurePrismaClient();
const database = await openMigratedDatabase({ url: process.env.DATABASE_URL, dataDir: null });
const databaseUrl = database.url;
process.env.DATABASE_URL = databaseUrl;
const { createTestDevice, createTestJob, createTestSoftware, statusXml } = await import("@/lib/testing/factories");
const { db } = await import("@/lib/db/client");
const { closeSql } = await import("@/lib/db/sql");
const { ingestInProcess, makeFleet, reportFor } = await import("./lib/ingest-fleet");

type PhaseResult = { seconds: number; latencies: number[] };
async function runPhase(send: (client: number, i: number) => Promise<void>): Promise<PhaseResult> {
  const perClient = Math.floor(REPORTS / CLIENTS);
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; i < perClient; i++) {
        const t = performance.now();
        await send(client, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, latencies };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(name: string, r: PhaseResult) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return { name, rps: r.latencies.length / r.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: r.latencies.length };
}

// ---- memory of the server's process tree
function treeRssBytes(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // gone
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

// ---- HTTP phase against `next start`
ensureBuild();
const server = spawn(NEXT_BIN, ["start", "-p", String(PORT)], {
  cwd: ROOT,
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: databaseUrl },
});
// However the run ends, the server must not outlive it.
process.on("exit", () => server.kill("SIGTERM"));
const base = `http://127.0.0.1:${PORT}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/devices`)).ok) break;
  } catch {
    // not up yet
  }
  if (i > 300) throw new Error("server did not start");
  await new Promise((r) => setTimeout(r, 200));
}

const perClient = Math.floor(REPORTS / CLIENTS);
console.log(`Preparing ${CLIENTS} devices x ${Math.ceil(perClient / 3)} jobs for each phase…`);
const httpFleet = await makeFleet(CLIENTS, perClient);
const sqlFleet = await makeFleet(CLIENTS, perClient);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRssBytes(server.pid!))), 100);
// Warm-up outside the measured window: real reports, so the route and the ingest SQL are warm.
for (let i = 0; i < 5; i++) {
  const w = await createTestDevice();
  const s = await createTestSoftware();
  await createTestJob(w.id, s.id);
  await fetch(`${base}/api/dm`, {
    method: "POST",
    headers: { "X-Device-UUID": w.deviceUuid, "X-Device-Auth": w.token, "X-Device-Action": "Status", "X-Device-client-version": "1.0" },
    body: statusXml([{ packageId: s.packageId, messageId: "11030", timestamp: "2026-11-21 09:00:00" }]),
  });
}
const http = await runPhase(async (client, i) => {
  const r = reportFor(httpFleet, client, i);
  const res = await fetch(`${base}/api/dm`, {
    method: "POST",
    headers: { "X-Device-UUID": r.device.deviceUuid, "X-Device-Auth": r.device.token, "X-Device-Action": "Status", "X-Device-client-version": "1.0" },
    body: r.body,
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
});
clearInterval(sampler);
// The server and this process's own Prisma pool let go of their connections before the
// baseline opens its own (the embedded server has a connection limit).
const serverExited = new Promise((resolve) => server.once("exit", resolve));
server.kill("SIGTERM");
await serverExited;
await db().$disconnect();

// ---- Baseline: the endpoint's own service code in this process, no HTTP: the same
// authentication query and the same transaction (the same statements, over the same pg pool
// type), one report per transaction.
const baseline = await runPhase((client, i) => ingestInProcess(sqlFleet, client, i));
await closeSql();
await database.stop();

const rows = [summary("HTTP POST /api/dm (next start)", http), summary("baseline: same service, in-process", baseline)];
const where = database.embedded ? "embedded PGlite (in-memory)" : redactUrl(databaseUrl);
console.log(`\nIngest benchmark — ${CLIENTS} concurrent clients, ${rows[0]!.n} reports per phase, database: ${where}`);
console.log("phase".padEnd(34), "reports/s".padStart(10), "p50 ms".padStart(8), "p99 ms".padStart(8));
for (const r of rows) console.log(r.name.padEnd(34), r.rps.toFixed(0).padStart(10), r.p50.toFixed(1).padStart(8), r.p99.toFixed(1).padStart(8));
console.log(`HTTP throughput / baseline: ${(rows[0]!.rps / rows[1]!.rps).toFixed(2)}`);
console.log(`server peak RSS (next start process tree): ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
process.exit(0);

/**
 * `npm run bench:delivery`: sending through a real Kannel (lib/testing/kannel.ts, the benchmark
 * playing the SMS centre), each figure next to a baseline measured in the same run:
 *
 * 1. throughput — N queued SMS pushes drained by the outbox workers (1, 4 and 8 in one process,
 *    and two processes of 4), messages per second until the last one reached the SMS centre;
 *    baseline: the same number of sendsms requests sent straight to Kannel by as many clients
 *    (the gateway's own rate, no queue, no database);
 * 2. latency — from the install's service call (what the wizard's click runs) to the SMS at the
 *    SMS centre, p50/p99 over `installs` installs one after another; baseline: one sendsms
 *    request to the SMS centre.
 *
 * Options (--flag=value): messages (2000), installs (100), gap (250 ms between installs).
 * Database: DATABASE_URL if set, else an in-memory embedded PGlite. Needs Debian's kannel.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { openMigratedDatabase, redactUrl } from "./lib/database";
import { numberOption, percentile } from "./lib/bench";
import { ensurePrismaClient } from "./lib/toolchain";

const MESSAGES = numberOption("messages", 2000);
const INSTALLS = numberOption("installs", 100);
const GAP_MS = numberOption("gap", 250);

ensurePrismaClient();
const database = await openMigratedDatabase({ url: process.env.DATABASE_URL, dataDir: null });
process.env.DATABASE_URL = database.url;
const { sql, statement, closeSql } = await import("@/lib/db/sql");
const { db } = await import("@/lib/db/client");
const { deliveryConfig } = await import("@/lib/delivery/delivery-config");
const { startOutboxWorker } = await import("@/lib/delivery/outbox-worker");
const { configuredTransports } = await import("@/lib/delivery/transports");
const { sendsmsUrl } = await import("@/lib/delivery/kannel/sendsms");
const { createInstallBatch } = await import("@/lib/installation-jobs/install-batch");
const { startKannel } = await import("@/lib/testing/kannel");
const { startReportServer } = await import("@/lib/testing/report-server");
const { createTestDevice, createTestSoftware, createTestUser } = await import("@/lib/testing/factories");

const kannel = await startKannel({ logLevel: 2 });
const reports = await startReportServer();
const gatewayEnv = { DEPLOYDESK_KANNEL_SENDSMS_URL: kannel.sendsmsUrl, DEPLOYDESK_KANNEL_PPG_URL: kannel.ppgUrl, DEPLOYDESK_SMS_SENDER: "4242" };
const transports = configuredTransports(deliveryConfig(gatewayEnv));
const { actor } = await createTestUser("superuser");
const children: ChildProcess[] = [];
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));

let number = 15558000000;
const nextNumber = () => `+${number++}`;

/** Waits until the SMS centre has every one of `numbers`; the time of the last arrival. */
async function arrivals(numbers: Set<string>, timeoutMs = 600_000): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  while (seen.size < numbers.size) {
    for (const m of kannel.smsc.messages) if (numbers.has(m.to) && !seen.has(m.to)) seen.set(m.to, m.receivedAt);
    if (Date.now() > deadline) throw new Error(`only ${seen.size} of ${numbers.size} messages arrived`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return seen;
}

const insertDevicesSql = statement<{ uuid: string; phone: string }>(
  "bench_delivery_devices",
  `INSERT INTO devices (device_uuid, name, phone_number, updated_at)
   SELECT 'BENCH-' || $1::text || '-' || g, 'Benchmark phone ' || g, '+' || ($2::bigint + g)::text, now() FROM generate_series(0, $3::int - 1) g
   RETURNING device_uuid AS uuid, phone_number AS phone`,
);

/** N devices with phone numbers and an SMS push job each: one install of N devices, as the wizard makes it. */
async function queueMessages(n: number): Promise<Set<string>> {
  const devices = await sql().query(insertDevicesSql, [`${Date.now()}`, number, n]);
  number += n;
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`bench ${Date.now()} ${Math.random()}`));
  await createInstallBatch(actor, { softwareId: software.id, deviceUuids: devices.map((d) => d.uuid), method: "SMS_PUSH" }, reports.origin);
  return new Set(devices.map((d) => d.phone));
}

async function drainWith(label: string, start: () => Promise<() => Promise<void>>): Promise<{ label: string; perSecond: number }> {
  const numbers = await queueMessages(MESSAGES);
  const t0 = Date.now();
  const stop = await start();
  const seen = await arrivals(numbers);
  const perSecond = MESSAGES / ((Math.max(...seen.values()) - t0) / 1000);
  await stop();
  console.log(`  ${label}: ${perSecond.toFixed(0)} messages/s`);
  return { label, perSecond };
}

const inProcess = (concurrency: number) => async () => {
  const worker = await startOutboxWorker({ databaseUrl: database.url, transports, concurrency, callbackBase: reports.origin, log: () => undefined });
  return () => worker.stop();
};
const processes = (count: number, concurrency: number) => async () => {
  const started = await Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        env: { ...process.env, ...gatewayEnv, DATABASE_URL: database.url, DEPLOYDESK_DELIVERY_CALLBACK_URL: reports.origin, DEPLOYDESK_OUTBOX_WORKERS: String(concurrency) },
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      children.push(child);
      return new Promise<ChildProcess>((resolve) => child.on("message", (m: { ready?: boolean }) => m.ready && resolve(child)));
    }),
  );
  return async () => {
    await Promise.all(started.map((c) => new Promise((r) => (c.once("exit", r), c.kill("SIGTERM")))));
  };
};

async function gatewayAlone(clients: number): Promise<{ label: string; perSecond: number }> {
  const numbers = Array.from({ length: MESSAGES }, nextNumber);
  let next = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < numbers.length) {
        const to = numbers[next++]!;
        const res = await fetch(sendsmsUrl(kannel.sendsmsUrl, { from: "4242", to, text: `Install the benchmark app: ${reports.origin}/packages/x/app.cab` }));
        await res.text();
      }
    }),
  );
  const seen = await arrivals(new Set(numbers));
  const perSecond = MESSAGES / ((Math.max(...seen.values()) - t0) / 1000);
  console.log(`  baseline, sendsms straight from ${clients} clients: ${perSecond.toFixed(0)} messages/s`);
  return { label: `baseline: sendsms straight, ${clients} clients`, perSecond };
}

console.log(`Throughput: ${MESSAGES} queued SMS pushes each…`);
const throughput = [
  await gatewayAlone(1),
  await drainWith("1 worker", inProcess(1)),
  await gatewayAlone(4),
  await drainWith("4 workers, one process", inProcess(4)),
  await gatewayAlone(8),
  await drainWith("8 workers, one process", inProcess(8)),
  await drainWith("2 processes of 4 workers", processes(2, 4)),
];

console.log(`Latency: ${INSTALLS} installs, ${GAP_MS} ms apart, 4 workers…`);
const worker = await startOutboxWorker({ databaseUrl: database.url, transports, concurrency: 4, callbackBase: reports.origin, log: () => undefined });
const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`bench ${Date.now()}`));
const clicks: number[] = [];
for (let i = 0; i < INSTALLS; i++) {
  const device = await createTestDevice();
  const to = nextNumber();
  await db().device.update({ where: { id: device.id }, data: { phoneNumber: to } });
  const t0 = Date.now();
  await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "SMS_PUSH" }, reports.origin);
  const arrived = (await arrivals(new Set([to]), 30_000)).get(to)!;
  clicks.push(arrived - t0);
  await new Promise((r) => setTimeout(r, GAP_MS));
}
await worker.stop();
const direct: number[] = [];
for (let i = 0; i < INSTALLS; i++) {
  const to = nextNumber();
  const t0 = Date.now();
  await (await fetch(sendsmsUrl(kannel.sendsmsUrl, { from: "4242", to, text: "Install the benchmark app" }))).text();
  direct.push((await arrivals(new Set([to]), 30_000)).get(to)! - t0);
}

console.log(`\nDelivery benchmark — Kannel 1.4.5 with the benchmark as its fake SMS centre, database: ${database.embedded ? "embedded PGlite (in-memory)" : redactUrl(database.url)}`);
console.log(`throughput, ${MESSAGES} messages:`);
for (const r of throughput) console.log(`  ${r.label.padEnd(44)} ${r.perSecond.toFixed(0).padStart(6)} messages/s`);
console.log(`latency, ${INSTALLS} each (ms):                      p50     p99`);
console.log(`  install → SMS at the SMS centre (queue)     ${percentile(clicks, 0.5).toFixed(0).padStart(6)}  ${percentile(clicks, 0.99).toFixed(0).padStart(6)}`);
console.log(`  baseline: sendsms → SMS at the SMS centre   ${percentile(direct, 0.5).toFixed(0).padStart(6)}  ${percentile(direct, 0.99).toFixed(0).padStart(6)}`);
await reports.close();
await kannel.stop();
await closeSql();
await database.stop();
process.exit(0);

/**
 * `npm run bench:retention`: the installation log's retention delete (lib/housekeeping,
 * deleteOldLog, as the minute sweep runs it) while status reports are ingested, next to the same
 * ingest without the delete, measured in the same run, phases alternating.
 *
 * Options (--flag=value): rows (10000000: the log's size before the run; half of it older than
 * the retention), seconds (20 per phase), rounds (3), clients (16).
 * Database: DATABASE_URL (a real PostgreSQL; the rows are added to what is there, the fleet's
 * devices are new). Prints medians over the rounds.
 */
import { openMigratedDatabase, redactUrl } from "./lib/database";
import { numberOption, percentile } from "./lib/bench";
import { ensurePrismaClient } from "./lib/toolchain";

const ROWS = numberOption("rows", 10_000_000);
const SECONDS = numberOption("seconds", 20);
const ROUNDS = numberOption("rounds", 3);
const CLIENTS = numberOption("clients", 16);
const RETENTION_DAYS = 180;

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set: this benchmark wants a real PostgreSQL (10M log rows).");
  process.exit(2);
}
ensurePrismaClient();
const database = await openMigratedDatabase({ url: process.env.DATABASE_URL, dataDir: null });
const { sql, closeSql } = await import("@/lib/db/sql");
const pg = (await import("pg")).default;
const { deleteOldLog } = await import("@/lib/housekeeping/housekeeping");
const { createTestDevice } = await import("@/lib/testing/factories");
const { ingestInProcess, makeFleet } = await import("./lib/ingest-fleet");

// ---- The log at its size: rows spread evenly over the last 360 days (half past the retention).
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
const have = Number((await admin.query("SELECT count(*) AS n FROM installation_log")).rows[0].n);
if (have < ROWS) {
  const owner = await createTestDevice();
  console.log(`Adding ${(ROWS - have).toLocaleString("en-US")} log rows to ${have.toLocaleString("en-US")}…`);
  for (let done = 0; done < ROWS - have; done += 1_000_000) {
    const n = Math.min(1_000_000, ROWS - have - done);
    await admin.query(
      `INSERT INTO installation_log (device_id, received_at, code, data, parameters, message_id, status_before, status_after)
       SELECT $1::int, now() - (random() * interval '360 days'), 'STATUS_REPORT', '{}'::jsonb, '[]'::jsonb, '11031', 'INSTALLING_SOFTWARE', 'DOWNLOADED'
         FROM generate_series(1, $2::int)`,
      [owner.id, n],
    );
    console.log(`  ${(have + done + n).toLocaleString("en-US")}`);
  }
  await admin.query("VACUUM (ANALYZE) installation_log");
}
const eligible = Number((await admin.query(`SELECT count(*) AS n FROM installation_log WHERE received_at < now() - interval '${RETENTION_DAYS} days'`)).rows[0].n);
console.log(`Log: ${Math.max(have, ROWS).toLocaleString("en-US")} rows, ${eligible.toLocaleString("en-US")} past ${RETENTION_DAYS} days.`);
await admin.end();

const fleet = await makeFleet(CLIENTS, 90);
let next = 0;
/** Ingest for SECONDS with CLIENTS concurrent clients; reports/s and latencies. */
async function ingest(): Promise<{ rps: number; p99: number }> {
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (performance.now() < end) {
        const t = performance.now();
        await ingestInProcess(fleet, client, next++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { rps: latencies.length / ((performance.now() - start) / 1000), p99: percentile(latencies, 0.99) };
}

type Round = { alone: { rps: number; p99: number }; withDelete: { rps: number; p99: number }; deletedPerSecond: number };
const rounds: Round[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const alone = await ingest();
  const started = performance.now();
  const deleting = deleteOldLog(new Date(), { deadline: Date.now() + SECONDS * 1000, batchSize: 0, retentionDays: RETENTION_DAYS, pauseMs: 10 });
  const withDelete = await ingest();
  const deleted = await deleting;
  const deletedPerSecond = deleted.changed / ((performance.now() - started) / 1000);
  rounds.push({ alone, withDelete, deletedPerSecond });
  console.log(
    `round ${r + 1}: ingest alone ${alone.rps.toFixed(0)} reports/s (p99 ${alone.p99.toFixed(1)} ms); with the delete ${withDelete.rps.toFixed(0)} reports/s (p99 ${withDelete.p99.toFixed(1)} ms); deleted ${deleted.changed.toLocaleString("en-US")} rows, ${deletedPerSecond.toFixed(0)} rows/s`,
  );
}
const median = (values: number[]) => percentile(values, 0.5);
console.log(`\nRetention delete while ingesting — ${CLIENTS} clients, ${SECONDS} s phases, ${ROUNDS} rounds, database: ${redactUrl(database.url)}`);
console.log(`ingest alone (baseline):   ${median(rounds.map((r) => r.alone.rps)).toFixed(0)} reports/s, p99 ${median(rounds.map((r) => r.alone.p99)).toFixed(1)} ms`);
console.log(`ingest during the delete:  ${median(rounds.map((r) => r.withDelete.rps)).toFixed(0)} reports/s, p99 ${median(rounds.map((r) => r.withDelete.p99)).toFixed(1)} ms`);
console.log(`retention delete:          ${median(rounds.map((r) => r.deletedPerSecond)).toFixed(0)} rows/s (batches of 2,000, 10 ms apart)`);
await closeSql();
await database.stop();
process.exit(0);

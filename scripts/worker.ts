/**
 * Outbox workers without the console: `node --import tsx scripts/worker.ts` against
 * DATABASE_URL, for more sending capacity beside the app servers (which run workers too) or a
 * process of its own that can be stopped or killed without touching the console. Started with
 * node --import tsx, not the tsx CLI, so a signal reaches the process that holds the queue's jobs.
 */
import { installLifecycle } from "./lib/lifecycle";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is not set.");
  process.exit(2);
}
const { startConfiguredWorker } = await import("@/lib/delivery/run-worker");
const { closeSql } = await import("@/lib/db/sql");
const worker = await startConfiguredWorker(databaseUrl, (line) => console.log(line));
installLifecycle("worker", async () => {
  await worker?.stop();
  await closeSql();
});
console.log(`worker: ready; pid ${process.pid}`);
process.send?.({ ready: true });

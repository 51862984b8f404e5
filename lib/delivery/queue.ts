/**
 * The Postgres-backed queue under the outbox: pg-boss 10.4.2 (the last release for Node 20;
 * toolchain-console.md §2). Its tables live in the `pgboss` schema, which Prisma does not look
 * at; `installQueues` creates or upgrades them with the migrations (lib/db/migrate.ts), so any
 * process may enqueue as soon as the database is migrated, worker or not.
 *
 * A queue job carries only the message id: the message row is the truth (its state says whether
 * it still needs sending), the queue job only says "look at it, from this moment on". Jobs are
 * inserted through the caller's transaction, so a message and the job that sends it commit or
 * roll back together.
 */
import PgBoss from "pg-boss";
import { type Sql } from "@/lib/db/sql";

export const DELIVER_QUEUE = "deliver";
export const HOUSEKEEPING_QUEUE = "housekeeping";
/** handOver notifies it at commit, so an idle worker starts at once instead of at its next poll. */
export const OUTBOX_CHANNEL = "deploydesk_outbox";

/**
 * pg-boss's own retries are for a worker that died or a handler that threw (the database gone):
 * the job comes back after `expireInSeconds`. The gateway's answers are retried by the outbox
 * itself (message-state.ts, nextAttemptAt), which keeps each attempt on the message.
 */
const QUEUES: PgBoss.Queue[] = [
  // pg-boss archives a job not yet run once its retention has passed: long enough for workers
  // that were down for days (housekeeping also queues again any message left unsent).
  { name: DELIVER_QUEUE, retryLimit: 20, retryDelay: 5, retryBackoff: true, expireInSeconds: 60, retentionDays: 14 },
  // singleton: one round at a time across the processes, even when a round overruns its minute.
  { name: HOUSEKEEPING_QUEUE, policy: "singleton", retryLimit: 2, retryDelay: 60, expireInSeconds: 15 * 60, retentionMinutes: 60 * 24 },
];

export type DeliverJob = { messageId: string };

/** Creates or upgrades the queue's schema and its queues; safe to run again and concurrently. */
export async function installQueues(databaseUrl: string): Promise<void> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 1, supervise: false, schedule: false, migrate: true });
  boss.on("error", () => undefined); // start() rejects with the same error
  await boss.start();
  try {
    const existing = new Set((await boss.getQueues()).map((q) => q.name));
    for (const queue of QUEUES) {
      if (existing.has(queue.name)) await boss.updateQueue(queue.name, queue);
      else await boss.createQueue(queue.name, queue);
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

// Enqueueing needs no connection of pg-boss's own: its insert runs on the caller's transaction.
let enqueuer: PgBoss | undefined;

function onTransaction(tx: Sql): PgBoss.Db {
  return { executeSql: async (text: string, values: unknown[] = []) => ({ rows: await tx.query({ name: "", text }, values) }) } as PgBoss.Db;
}

/** Queues a send of each message, in the caller's transaction; `startAfter` for a retry. */
export async function enqueueDeliveries(tx: Sql, messageIds: string[], startAfter?: Date): Promise<void> {
  if (messageIds.length === 0) return;
  enqueuer ??= new PgBoss({ db: { executeSql: () => Promise.reject(new Error("enqueue only through a transaction")) } });
  const jobs = messageIds.map((messageId) => ({ name: DELIVER_QUEUE, data: { messageId } satisfies DeliverJob, ...(startAfter ? { startAfter: startAfter.toISOString() } : {}) }));
  await enqueuer.insert(jobs, { db: onTransaction(tx) });
}

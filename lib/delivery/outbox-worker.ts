/**
 * The outbox worker: takes `deliver` jobs from the queue and makes one attempt of one message
 * each (outbox.ts records the attempt and the answer; a transport talks to the gateway). Any
 * number of workers in any number of processes share the queue: pg-boss hands each job to one
 * of them, and a job whose worker died comes back after the queue's expiry (queue.ts).
 *
 * It runs as a process of its own (scripts/worker.ts, started by `npm start`'s supervisor), so a
 * slow or hung gateway never holds up a console request, as toolchain-console.md §2 advises.
 */
import PgBoss from "pg-boss";
import { serverSecret } from "@/lib/settings/server-secret";
import { DEFAULT_RETRY_POLICY, type MessageState, type RetryPolicy } from "./message-state";
import { recordAnswer, startAttempt } from "./outbox";
import { runHousekeeping } from "@/lib/housekeeping/housekeeping";
import { DELIVER_QUEUE, HOUSEKEEPING_QUEUE, type DeliverJob } from "./queue";
import { isAppError } from "@/lib/errors";
import { callbackBaseUrl, reportUrl } from "./report-url";
import type { SendResult, Transports } from "./transport";

export type DeliveryDeps = {
  transports: Transports;
  policy?: RetryPolicy;
  /** How long one attempt may take before it counts as failed (and is retried). */
  attemptTimeoutMs?: number;
  callbackBase?: string;
};

/** One attempt of one message, start to answer; returns the message's state after (null: nothing to send). */
export async function deliverMessage(messageId: string, deps: DeliveryDeps): Promise<MessageState | null> {
  const started = await startAttempt(messageId, deps.transports);
  if (!started) return null;
  const transport = deps.transports(started.message.kind);
  const url = reportUrl(deps.callbackBase ?? callbackBaseUrl(), await serverSecret(), messageId);
  let result: SendResult;
  try {
    result = await transport.send(started.message, { reportUrl: url, signal: AbortSignal.timeout(deps.attemptTimeoutMs ?? 15_000) });
  } catch (error) {
    // A message the gateway could never take (a phone number that is not E.164, a text too long)
    // fails now; anything else (no connection, a timeout) may work on a later attempt.
    result = isAppError(error, "VALIDATION_FAILED") ? { outcome: "rejected", answer: error.message } : { outcome: "retry", answer: describeError(error) };
  }
  return recordAnswer(messageId, started.message.attempt, result, deps.policy ?? DEFAULT_RETRY_POLICY);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (error.name === "TimeoutError" || error.name === "AbortError") return "no answer in time";
    return cause?.code ? `${error.message} (${cause.code})` : error.message;
  }
  return String(error);
}

export type WorkerOptions = DeliveryDeps & {
  databaseUrl: string;
  /** Messages sent at the same time by this process. */
  concurrency?: number;
  /** How often an idle worker asks the queue (pg-boss 10: at least 0.5 s). */
  pollingIntervalSeconds?: number;
  /** Also run the housekeeping schedule's rounds (lib/housekeeping); the app's processes do. */
  housekeeping?: boolean;
  log?: (line: string) => void;
};

export type OutboxWorker = { stop(): Promise<void> };

export async function startOutboxWorker(opts: WorkerOptions): Promise<OutboxWorker> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const concurrency = opts.concurrency ?? 4;
  // migrate: false — the schema is the migrations' business (deployMigrations); a worker on an
  // unmigrated database should fail loudly, not create tables on its own.
  const boss = new PgBoss({ connectionString: opts.databaseUrl, max: concurrency + 2, migrate: false, application_name: "deploydesk-outbox-worker" });
  boss.on("error", (error) => log(`outbox queue: ${error.message}`));
  await boss.start();
  const handler = async ([job]: PgBoss.Job<DeliverJob>[]) => {
    if (job) await deliverMessage(job.data.messageId, opts);
  };
  // pg-boss 10 has no per-worker concurrency: each work() is one fetch-and-run loop.
  for (let i = 0; i < concurrency; i++) {
    await boss.work<DeliverJob>(DELIVER_QUEUE, { batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5 }, handler);
  }
  if (opts.housekeeping) {
    // A schedule lives in the database: every process sets the same one, and it fires once a
    // minute in one of them.
    await boss.schedule(HOUSEKEEPING_QUEUE, "* * * * *");
    await boss.work(HOUSEKEEPING_QUEUE, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
      const results = await runHousekeeping();
      const done = results.filter((r) => r.changed > 0).map((r) => `${r.name} ${r.changed}${r.more ? "+" : ""}`);
      if (done.length) log(`housekeeping: ${done.join(", ")}`);
    });
  }
  return {
    async stop() {
      // Lets attempts under way finish (each is bounded by its timeout), then closes the pool.
      await boss.stop({ graceful: true, wait: true, timeout: (opts.attemptTimeoutMs ?? 15_000) + 5_000 });
    },
  };
}

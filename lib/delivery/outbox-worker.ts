/**
 * The outbox worker: takes `deliver` jobs from the queue and makes one attempt of one message
 * each (outbox.ts records the attempt and the answer; a transport talks to the gateway). Any
 * number of workers in any number of processes share the queue: pg-boss hands each job to one
 * of them, and a job whose worker died comes back after the queue's expiry (queue.ts).
 *
 * The app server runs it beside the console (scripts/serve.ts), scripts/worker.ts runs it alone;
 * a send is async I/O bounded by its timeout, so a slow or hung gateway holds up no request.
 */
import pg from "pg";
import PgBoss from "pg-boss";
import { serverSecret } from "@/lib/settings/server-secret";
import { DEFAULT_RETRY_POLICY, type MessageState, type RetryPolicy } from "./message-state";
import { recordAnswer, startAttempt } from "./outbox";
import { runHousekeeping } from "@/lib/housekeeping/housekeeping";
import { DELIVER_QUEUE, HOUSEKEEPING_QUEUE, OUTBOX_CHANNEL, type DeliverJob } from "./queue";
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
  let result: SendResult;
  try {
    const url = reportUrl(deps.callbackBase ?? callbackBaseUrl(), await serverSecret(), messageId, started.message.attempt);
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
  /** How often an idle worker asks the queue when no notice wakes it (retries falling due). */
  pollingIntervalMs?: number;
  /** Also run the housekeeping schedule's rounds (lib/housekeeping); the app's processes do. */
  housekeeping?: boolean;
  log?: (line: string) => void;
};

export type OutboxWorker = { stop(): Promise<void> };

/**
 * The loop's sleep: it ends at the first wake() or after `ms`. A wake() while nobody sleeps (a
 * notice arriving during a fetch) is kept for the next sleep, so it is never lost.
 */
function alarm() {
  let ring: (() => void) | null = null;
  let pending = false;
  return {
    wake: () => (ring ? ring() : (pending = true)),
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        if (pending) {
          pending = false;
          return resolve();
        }
        const timer = setTimeout(() => ((ring = null), resolve()), ms);
        ring = () => (clearTimeout(timer), (ring = null), resolve());
      }),
  };
}

/**
 * The worker keeps `concurrency` attempts under way: it fetches as many queue jobs as it has free
 * slots, starts each at once, and fetches again as soon as one ends. (pg-boss 10's own work()
 * loop takes one batch and then waits its polling interval however full the queue is: 2 messages
 * a second per loop, measured.) handOver's notice on `deploydesk_outbox` wakes an idle worker at
 * once; the polling interval only catches retries falling due and missed notices.
 */
export async function startOutboxWorker(opts: WorkerOptions): Promise<OutboxWorker> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const concurrency = opts.concurrency ?? 4;
  const pollMs = opts.pollingIntervalMs ?? 1_000;
  // migrate: false — the schema is the migrations' business (deployMigrations); a worker on an
  // unmigrated database should fail loudly, not create tables on its own.
  const boss = new PgBoss({ connectionString: opts.databaseUrl, max: concurrency + 3, migrate: false, application_name: "deploydesk-outbox-worker" });
  boss.on("error", (error) => log(`outbox queue: ${error.message}`));
  await boss.start();

  const bell = alarm();
  const listener = await listenForWork(opts.databaseUrl, bell.wake, log);
  let stopping = false;
  let active = 0;
  const running = new Set<Promise<void>>();
  const run = async (job: PgBoss.Job<DeliverJob>) => {
    try {
      await deliverMessage(job.data.messageId, opts);
      await boss.complete(DELIVER_QUEUE, job.id);
    } catch (error) {
      // The database failed under the attempt: the queue retries the job (its message row says what is left to do).
      log(`outbox: message ${job.data.messageId}: ${describeError(error)}`);
      await boss.fail(DELIVER_QUEUE, job.id, { message: describeError(error) }).catch(() => undefined);
    }
  };
  const loop = (async () => {
    while (!stopping) {
      const free = concurrency - active;
      if (free === 0) {
        await bell.sleep(pollMs);
        continue;
      }
      let jobs: PgBoss.Job<DeliverJob>[] = [];
      try {
        jobs = await boss.fetch<DeliverJob>(DELIVER_QUEUE, { batchSize: free });
      } catch (error) {
        log(`outbox: fetching from the queue failed: ${describeError(error)}`);
      }
      if (jobs.length === 0) {
        await bell.sleep(pollMs);
        continue;
      }
      for (const job of jobs) {
        active++;
        const attempt = run(job).finally(() => {
          active--;
          running.delete(attempt);
          bell.wake();
        });
        running.add(attempt);
      }
    }
  })();

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
      stopping = true;
      bell.wake();
      await loop;
      // Attempts under way finish (each is bounded by its timeout); their jobs are completed.
      await Promise.all(running);
      await listener?.end().catch(() => undefined);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

/** LISTEN on handOver's channel; null (polling only) when the server refuses it (a read-only standby). */
async function listenForWork(databaseUrl: string, wake: () => void, log: (line: string) => void): Promise<pg.Client | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "deploydesk-outbox-listener" });
  client.on("error", (error) => log(`outbox: the notice connection failed (${error.message}); polling only`));
  try {
    await client.connect();
    client.on("notification", wake);
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    return client;
  } catch (error) {
    log(`outbox: cannot LISTEN (${describeError(error)}); polling only`);
    await client.end().catch(() => undefined);
    return null;
  }
}

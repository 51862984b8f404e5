/**
 * The change bus: one per process, delivering "something changed" (change-event.ts) to in-process
 * subscribers — later one per browser tab's event stream (sse.ts), each filtering for what it
 * shows. However many tabs are open, the database sees one connection and, in poll mode, one
 * query a second.
 *
 * Source, in one of two modes:
 * - notify (default): one dedicated connection LISTENs on the channel the job writer notifies at
 *   each commit (job-writer.ts). The events arrive in commit order, ~10 ms after the commit.
 * - poll (DEPLOYDESK_LIVE=poll, or by itself when LISTEN cannot be set up, e.g. on a read-only
 *   standby): the same connection reads new installation_log rows once a second. Every job change
 *   writes a log row, so the log alone tells what changed.
 * Both keep a LogCursor (log-cursor.ts), so a read — the poll, or the one catch-up read on every
 * reconnect in notify mode — asks again for ids it has not seen below its highest: a row that
 * commits out of order, or while the connection was down, is still delivered, once.
 *
 * The connection exists only while someone listens: the first subscriber starts it, and it
 * closes `lingerMs` after the last one leaves (a browser navigating reconnects its stream at once;
 * lingering spares the database a reconnect per page).
 */
import pg from "pg";
import { databaseUrl } from "@/lib/db/client";
import { statement } from "@/lib/db/sql";
import { CHANGE_CHANNEL, eventFromRows, parseChangePayload, type ChangeEvent, type LogRow } from "./change-event";
import { LogCursor } from "./log-cursor";

export type LiveMode = "notify" | "poll";

export type ChangeBusOptions = {
  connectionString: string;
  mode: LiveMode;
  pollIntervalMs?: number;
  /** How long an unseen id below the highest read is looked for (LogCursor's window). */
  overlapMs?: number;
  reconnect?: { initialMs: number; maxMs: number };
  lingerMs?: number;
  /** The writer's channel; only a test changes it (to make LISTEN fail). */
  channel?: string;
  log?: (message: string) => void;
};

export type ChangeBusStats = {
  subscribers: number;
  /** The mode in use: "poll" also after a notify bus fell back. */
  mode: LiveMode;
  /** Whether the source runs (subscribers, or lingering after the last). */
  running: boolean;
  /** Whether it is connected and caught up: events flow. */
  live: boolean;
  /** How many times the source connected since the bus was made (reconnects included). */
  connects: number;
};

export type ChangeBus = {
  /** Calls `listener` with every change from now on; returns the unsubscribe. */
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  /**
   * Resolves once the source is connected and caught up (at once if it is). A consumer that
   * reads its data after this, having subscribed before, misses no change in between. (The
   * source runs only while someone subscribes: subscribe first.)
   */
  whenLive(): Promise<void>;
  stats(): ChangeBusStats;
  /** Stops the source whatever the subscribers (process shutdown). */
  close(): Promise<void>;
};

// The reads. Declared as statements so statements.int.test.ts checks them against the schema,
// but run unnamed: on the embedded PGlite names would collide between connections, and once a
// second does not need a saved plan.

const startSql = statement<{ floor: string; ids: string[] }>(
  "live_log_start",
  // The last ids before the start, so rows still being written then count as gaps, not history.
  `SELECT m.max - $1::int AS floor, ARRAY(SELECT id FROM installation_log WHERE id > m.max - $1::int ORDER BY id) AS ids
     FROM (SELECT COALESCE(max(id), 0) AS max FROM installation_log) m`,
);

const readSql = statement<{ id: string; deviceId: number; jobId: number | null }>(
  "live_log_read",
  // Two index lookups: the cursor's gaps, and the next page above its highest id.
  `SELECT id, device_id AS "deviceId", job_id AS "jobId" FROM installation_log WHERE id = ANY($2::bigint[])
   UNION ALL
   (SELECT id, device_id, job_id FROM installation_log WHERE id > $1::bigint ORDER BY id LIMIT $3::int)`,
);

/** How far back the start looks for rows still being written. */
const START_LOOKBACK = 1000;
const PAGE = 1000;

export function createChangeBus(options: ChangeBusOptions): ChangeBus {
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const overlapMs = options.overlapMs ?? 30_000;
  const reconnect = options.reconnect ?? { initialMs: 250, maxMs: 10_000 };
  const lingerMs = options.lingerMs ?? 3000;
  const channel = options.channel ?? CHANGE_CHANNEL;
  const log = options.log ?? ((m: string) => console.warn(`change bus: ${m}`));

  const listeners = new Set<(event: ChangeEvent) => void>();
  let mode: LiveMode = options.mode;
  let connects = 0;
  let source: Source | null = null;
  let lingerTimer: NodeJS.Timeout | null = null;
  // Waiters for the next "live" moment.
  let liveWaiters: (() => void)[] = [];

  function emit(event: ChangeEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken subscriber must not cost the others their events.
        log(`a subscriber failed: ${(error as Error).message}`);
      }
    }
  }

  function setLive(): void {
    const waiters = liveWaiters;
    liveWaiters = [];
    for (const w of waiters) w();
  }

  type Source = { live: boolean; stop(): Promise<void> };

  /**
   * One run of the source: connect, (re)read, deliver, until stopped; reconnecting with backoff
   * whenever the connection is lost. The cursor lives as long as the run, so a reconnect resumes
   * where the last connection left off.
   */
  function startSource(): Source {
    const cursor = new LogCursor({ window: overlapMs, maxGaps: 10_000 });
    let stopped = false;
    let client: pg.Client | null = null;
    let connected = false;
    let wake: (() => void) | null = null;
    const self: Source = {
      live: false,
      async stop() {
        stopped = true;
        self.live = false;
        wake?.();
        // Only a connected client is ended from here (it may be waiting on a query): pg's end()
        // on a client whose connect() has not yet had an event-loop turn never resolves, and
        // neither does that connect. A connecting one is closed by run() once connect settles.
        if (connected) await client?.end().catch(() => undefined);
        await done;
      },
    };
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => ((wake = null), resolve()), ms);
        wake = () => (clearTimeout(timer), (wake = null), resolve());
      });

    // Ids a catch-up read delivered, so their notifications (which may arrive just after it) are
    // not delivered twice. Only the latest catch-up's matter; they age out with the overlap window.
    let caughtUp = { ids: new Set<number>(), at: 0 };

    function onNotification(payload: string | undefined): void {
      const event = parseChangePayload(payload);
      const now = Date.now();
      if (now - caughtUp.at > overlapMs) caughtUp = { ids: new Set(), at: now };
      if (event.logIds) {
        for (const id of event.logIds) cursor.accept(id, now);
        if (event.logIds.length > 0 && event.logIds.every((id) => caughtUp.ids.has(id))) return;
      } else if (event.logRange) {
        cursor.acceptRange(event.logRange[0], event.logRange[1], now);
      }
      // While connected, every commit so far has been heard: gaps older than the window are given up.
      if (self.live) cursor.expire(now);
      emit(event);
    }

    /** Reads what the cursor has not seen, a page at a time, and delivers it. */
    async function readNew(c: pg.Client, remember: Set<number> | null): Promise<void> {
      const startedAt = Date.now();
      for (;;) {
        const { after, gaps } = cursor.next();
        const rows: LogRow[] = (await c.query<{ id: string; deviceId: number; jobId: number | null }>(readSql.text, [after, gaps, PAGE])).rows
          .map((r) => ({ ...r, id: Number(r.id) }))
          .sort((a, b) => a.id - b.id);
        const now = Date.now();
        // accept() also filters what a notification delivered while this read ran.
        const fresh = rows.filter((r) => cursor.accept(r.id, now));
        if (fresh.length > 0) {
          for (const r of fresh) remember?.add(r.id);
          emit(eventFromRows(fresh));
        }
        const fullPage = rows.filter((r) => r.id > after).length === PAGE;
        if (!fullPage || stopped) break;
      }
      cursor.expire(startedAt);
    }

    async function run(): Promise<void> {
      let attempt = 0;
      while (!stopped) {
        // The connect timeout bounds how long a stop waits for a connect in progress.
        const c = new pg.Client({ connectionString: options.connectionString, application_name: "deploydesk-change-bus", connectionTimeoutMillis: 10_000 });
        client = c;
        connected = false;
        const lost = new Promise<void>((resolve) => {
          c.on("error", () => resolve());
          c.on("end", () => resolve());
        });
        try {
          await c.connect();
          connected = true;
          if (stopped) return; // stopped while connecting (finally still closes it)
          connects++;
          if (mode === "notify") {
            c.on("notification", (n) => n.channel === channel && onNotification(n.payload));
            try {
              // A quoted name, as the writer's pg_notify names it exactly.
              await c.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
            } catch (error) {
              if (!(error instanceof pg.DatabaseError)) throw error; // the connection, not LISTEN
              mode = "poll";
              log(`LISTEN failed (${error.message}); polling installation_log instead`);
            }
          }
          // Listening before reading: a commit after the read is heard, one before it is read.
          if (!cursor.started) {
            const [start] = (await c.query<{ floor: string; ids: string[] }>(startSql.text, [START_LOOKBACK])).rows;
            cursor.start(Number(start!.floor), start!.ids.map(Number), Date.now());
          } else {
            const ids = new Set<number>();
            await readNew(c, ids);
            caughtUp = { ids, at: Date.now() };
          }
          if (stopped) return;
          attempt = 0;
          self.live = true;
          setLive();
          if (mode === "notify") {
            await Promise.race([lost, new Promise<void>((resolve) => (wake = resolve))]);
          } else {
            while (!stopped) {
              const woken = await Promise.race([lost.then(() => "lost" as const), sleep(pollIntervalMs).then(() => "tick" as const)]);
              if (woken === "lost" || stopped) break;
              await readNew(c, null);
            }
          }
        } catch (error) {
          if (!stopped) log(`connection failed: ${(error as Error).message}`);
        } finally {
          self.live = false;
          connected = false;
          c.removeAllListeners("notification");
          await c.end().catch(() => undefined);
        }
        if (stopped) break;
        // Backoff with jitter: many processes losing one database must not all come back at once.
        const delay = Math.min(reconnect.maxMs, reconnect.initialMs * 2 ** attempt++) * (0.8 + Math.random() * 0.4);
        await sleep(delay);
      }
    }
    const done = run();
    return self;
  }

  function ensureRunning(): void {
    if (lingerTimer) {
      clearTimeout(lingerTimer);
      lingerTimer = null;
    }
    source ??= startSource();
  }

  function stopSoon(): void {
    const stop = () => {
      lingerTimer = null;
      const s = source;
      source = null;
      void s?.stop();
    };
    if (lingerMs <= 0) stop();
    else (lingerTimer = setTimeout(stop, lingerMs)).unref();
  }

  return {
    subscribe(listener) {
      // Each subscription is its own entry, even for the same function twice.
      const entry = (event: ChangeEvent) => listener(event);
      listeners.add(entry);
      ensureRunning();
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        listeners.delete(entry);
        if (listeners.size === 0) stopSoon();
      };
    },
    whenLive() {
      if (source?.live) return Promise.resolve();
      return new Promise((resolve) => liveWaiters.push(resolve));
    },
    stats() {
      return { subscribers: listeners.size, mode, running: source !== null, live: source?.live ?? false, connects };
    },
    async close() {
      if (lingerTimer) clearTimeout(lingerTimer);
      lingerTimer = null;
      const s = source;
      source = null;
      await s?.stop();
      listeners.clear();
    },
  };
}

const g = globalThis as unknown as { deploydeskChangeBus?: ChangeBus };

/**
 * The process's bus, made on first use. Kept on globalThis like the database clients: Turbopack
 * may evaluate this module once per bundle, and two buses would double the connections.
 */
export function changeBus(): ChangeBus {
  return (g.deploydeskChangeBus ??= createChangeBus({ connectionString: databaseUrl(), mode: liveModeFromEnv() }));
}

export function liveModeFromEnv(value = process.env.DEPLOYDESK_LIVE): LiveMode {
  if (value === undefined || value === "" || value === "notify") return "notify";
  if (value === "poll") return "poll";
  throw new Error(`DEPLOYDESK_LIVE must be "notify" or "poll", not "${value}"`);
}

export async function closeChangeBus(): Promise<void> {
  const bus = g.deploydeskChangeBus;
  g.deploydeskChangeBus = undefined;
  await bus?.close();
}

// The embedded database: PGlite (PostgreSQL 18 in WebAssembly) served over TCP by pglite-socket, so the
// app, pg and Prisma reach it exactly as they reach a real PostgreSQL server. Server-side Node only.
import { readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS } from "./pglite-extensions";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { NotificationRouter } from "./notification-router";

export type EmbeddedPostgres = { url: string; port: number; stop(): Promise<void> };

export async function startEmbeddedPostgres(opts: {
  /** Folder holding the data (created if missing); null keeps everything in memory. */
  dataDir: string | null;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}): Promise<EmbeddedPostgres> {
  const host = opts.host ?? "127.0.0.1";
  const dataDir = opts.dataDir && path.resolve(opts.dataDir);
  const lock = dataDir ? await lockDataDir(dataDir) : null;
  let db: PGlite | undefined;
  try {
    db = await PGlite.create(dataDir ?? undefined, { extensions: PGLITE_EXTENSIONS });
    // PGlite runs one query at a time; the server multiplexes client connections onto it. Its default
    // of 1 connection would stall a pg pool, so allow about as many as the app and tools open.
    const server = new PGLiteSocketServer({ db, host, port: opts.port ?? 0, maxConnections: 50 });
    keepConnectionsApart(server, db);
    await server.start();
    // getServerConn() is "host:port", with the port the OS chose when asked for 0.
    const port = Number(server.getServerConn().split(":").pop());
    const url = `postgresql://postgres@${host}:${port}/postgres`;
    await lock?.record(url);
    return {
      url,
      port,
      async stop() {
        await server.stop();
        await db!.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await db?.close();
    await lock?.release();
    throw error;
  }
}

// Frontend messages that continue an extended-query batch; Sync ('S'), a simple Query ('Q') and
// Terminate ('X') end one. Parse, Bind, Describe, Execute, Close, Flush.
const BATCH_MESSAGES = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]);

type QueuedMessage = {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
};
type QueryQueue = {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
};

/**
 * pglite-socket 0.2.17 runs every client connection on PGlite's one session, one protocol
 * message at a time. It keeps a connection's messages together only inside a transaction, so
 * concurrent clients interleave their Parse/Bind/Execute messages (and another client's simple
 * `BEGIN` drops the unnamed statement in between): Prisma then fails with "unnamed prepared
 * statement does not exist" / `portal "" does not exist`. Its queue also stops for good after
 * one failed message. This replaces the queue's scheduler: a connection keeps the session from
 * its first batch message to its Sync (and for a whole transaction, as before), and a failed
 * message fails only its sender. Checked against 0.2.17's internals (pinned in package.json);
 * lib/db/embedded.int.test.ts fails if they change.
 *
 * The same scheduler routes LISTEN/NOTIFY (notification-router.ts): on the one session a
 * notification comes back to whichever connection committed, so every message's output passes
 * through the router, which moves notifications to the connections listening on their channel
 * (lib/db/embedded-notify.int.test.ts fails without it).
 */
function keepConnectionsApart(server: PGLiteSocketServer, db: PGlite): void {
  const q = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!q || !Array.isArray(q.queue) || typeof q.clearTransactionIfNeeded !== "function") {
    throw new Error("pglite-socket internals changed: review keepConnectionsApart in lib/db/embedded.ts");
  }
  let batchOwner: number | null = null;
  // Connections that went away: they must never hold the session again.
  const closed = new Set<number>();
  const notifications = new NotificationRouter();

  q.processQueue = async () => {
    if (q.processing) return;
    q.processing = true;
    try {
      for (;;) {
        // Between transactions and batches, nobody's statements can be disturbed: the moment to
        // make the shared session listen again on what an UNLISTEN of one connection took from others.
        if (notifications.needsReconcile() && batchOwner === null && !db.isInTransaction()) {
          // db.exec takes PGlite's own locks (not runExclusive, which would deadlock with them).
          await notifications.reconcile((sql) => db.exec(sql)).catch((error: unknown) => console.error("embedded LISTEN bookkeeping failed", error));
        }
        if (q.queue.length === 0) break;
        const wanted = db.isInTransaction() ? q.lastHandlerId : batchOwner;
        const holder = wanted !== null && closed.has(wanted) ? null : wanted;
        const index = holder === null ? 0 : q.queue.findIndex((m) => m.handlerId === holder);
        if (index === -1) break; // the holder's next message has not arrived yet
        const item = q.queue.splice(index, 1)[0]!;
        let bytes = 0;
        notifications.track(item.handlerId, item.message, item.onData);
        const output = notifications.output(item.handlerId, (data) => {
          bytes += data.length;
          item.onData(data);
        });
        try {
          await db.runExclusive(() => db.execProtocolRawStream(item.message, { onRawData: (data) => output.write(data) }));
        } catch (error) {
          output.end();
          item.reject(error);
          continue;
        }
        output.end();
        q.lastHandlerId = item.handlerId;
        batchOwner = BATCH_MESSAGES.has(item.message[0]!) && !closed.has(item.handlerId) ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      q.processing = false;
    }
  };

  // A connection that goes away mid-batch must not hold the session, nor leave it inside its
  // half-sent batch: a Sync ends that batch (and any error state) before anyone else runs.
  const clear = q.clearTransactionIfNeeded.bind(q);
  q.clearTransactionIfNeeded = async (handlerId) => {
    closed.add(handlerId);
    notifications.forget(handlerId);
    if (batchOwner === handlerId) {
      batchOwner = null;
      await db.runExclusive(() => db.execProtocolRaw(SYNC_MESSAGE)).catch(() => undefined);
    }
    await clear(handlerId);
    void q.processQueue();
  };
}

/**
 * PGlite does not lock its data directory, and two processes opening one directory corrupt it (for
 * example `npm run db:migrate` while `npm run dev` serves it). A `<dataDir>.lock` file names its
 * owner: pid, the kernel's start time of that process and the boot it ran in. A lock is held only
 * while that very process lives: a pid that now belongs to another process (pids repeat, above
 * all in a restarted container) or a dead one leaves a stale lock, which is taken over.
 */
export async function lockDataDir(dataDir: string) {
  const file = `${dataDir}.lock`;
  await mkdir(dataDir, { recursive: true });
  const me = processIdentity(process.pid);
  const write = (url: string | null, flag: "wx" | "w") => writeFile(file, JSON.stringify({ ...me, url }), { flag });
  try {
    await write(null, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const owner = (await readFile(file, "utf8").then(JSON.parse).catch(() => null)) as LockOwner | null;
    if (owner && isLockHeld(owner)) {
      throw new Error(`${dataDir} is in use by process ${owner.pid}${owner.url ? `, which serves it at ${owner.url}` : ""}. ` +
        `Connect to that (DATABASE_URL=${owner.url ?? "<its url>"}) or stop it.`);
    }
    await write(null, "w");
  }
  return { record: (url: string) => write(url, "w"), release: () => rm(file, { force: true }) };
}

type ProcessIdentity = { pid: number; startTime: string | null; bootId: string | null };
type LockOwner = ProcessIdentity & { url: string | null };

/** Linux: the process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
function processIdentity(pid: number): ProcessIdentity {
  let startTime: string | null = null;
  let bootId: string | null = null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    startTime = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
    bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // No /proc (macOS): the pid alone has to do.
  }
  return { pid, startTime, bootId };
}

export function isLockHeld(owner: LockOwner): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = processIdentity(owner.pid);
  if (owner.bootId && now.bootId && owner.bootId !== now.bootId) return false;
  // The same pid, started at another time: another process that reuses the pid.
  if (owner.startTime && now.startTime && owner.startTime !== now.startTime) return false;
  return true;
}

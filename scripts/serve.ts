/**
 * The app server process: one public port for devices and browsers (lib/server/app-server.ts),
 * with Next.js mounted in-process through its custom-server API. `npm start` runs it as a child
 * (after setting up the database); it can also run on its own against DATABASE_URL.
 *
 * Flags: --dev (Next in development mode), --devices-only (no console: a stateless extra device
 * node for scale-out; `npm run start:devices`, port 3001 by default). Env: PORT (3000), HOST
 * (all interfaces), DATABASE_URL (for a device node, defaults to the embedded database that
 * `npm start` is serving).
 *
 * The console's process also runs the outbox workers (lib/delivery/run-worker.ts): sending is
 * async I/O bounded by a timeout, so it never holds up a request, and every app node then shares
 * the queue without another process to supervise. `scripts/worker.ts` runs more on their own.
 */
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { installLifecycle } from "./lib/lifecycle";
import { ROOT } from "./lib/toolchain";

const dev = process.argv.includes("--dev");
const devicesOnly = process.argv.includes("--devices-only");
const port = Number(process.env.PORT ?? (devicesOnly ? 3001 : 3000));
if (!process.env.DATABASE_URL) {
  // An extra device node beside `npm start`'s embedded database: the lock file names its URL.
  const lock = path.join(ROOT, process.env.DEPLOYDESK_DATA_DIR || ".data", "pglite.lock");
  const owner = existsSync(lock) ? (JSON.parse(readFileSync(lock, "utf8")) as { url?: string | null }) : null;
  if (!owner?.url) {
    console.error("DATABASE_URL is not set and no embedded database is running (start the console with `npm start` first).");
    process.exit(2);
  }
  process.env.DATABASE_URL = owner.url;
  process.env.DEPLOYDESK_STORAGE_DIR ||= path.join(path.dirname(lock), "files");
}
const host = process.env.HOST || undefined;
process.env.NEXT_TELEMETRY_DISABLED = "1";
if (!devicesOnly) (process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";

const { createAppServer, notFoundFallback } = await import("@/lib/server/app-server");
const { db } = await import("@/lib/db/client");
const { closeSql } = await import("@/lib/db/sql");
const { closeChangeBus } = await import("@/lib/live/change-bus");
const { signalShutdown } = await import("@/lib/server/shutdown-signal");

let nextApp: { close(): Promise<void> } | null = null;
let fallback = notFoundFallback;
let firstAdminBanner: string | null = null;
if (!devicesOnly) {
  // Someone must be able to sign in (lib/users/manage-users.ts): the generated password is
  // printed here, once, and kept only as a hash.
  const { ensureFirstAdmin } = await import("@/lib/users/manage-users");
  const created = await ensureFirstAdmin();
  if (created?.generatedPassword) {
    // Said once the server listens, after Next's start-up lines, so it is not lost among them.
    firstAdminBanner = [
      "",
      "  ================================================================================",
      `  First Admin created. Sign in as ${created.email} with the password ${created.generatedPassword}`,
      "  It is shown only this once: note it, or set DEPLOYDESK_ADMIN_EMAIL and DEPLOYDESK_ADMIN_PASSWORD.",
      "  ================================================================================",
      "",
    ].join("\n");
  } else if (created) console.log(`server: created the Admin ${created.email} from DEPLOYDESK_ADMIN_EMAIL`);
  const next = (await import("next")).default;
  const app = next({ dev, dir: ROOT, port, hostname: "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  fallback = (req: IncomingMessage, res: ServerResponse) => handle(req, res);
  nextApp = app as unknown as { close(): Promise<void> };
}

const server = createAppServer(fallback);
const { startConfiguredWorker } = await import("@/lib/delivery/run-worker");
const outbox = devicesOnly ? null : await startConfiguredWorker(process.env.DATABASE_URL!, (line) => console.log(`server: ${line}`));

const lifecycle = installLifecycle("server", async () => {
  // Stop taking connections, let requests in flight finish (bounded), then drop the rest.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Event streams never finish by themselves: end them now, not at the drain timeout.
  signalShutdown();
  server.closeIdleConnections();
  // A keep-alive connection whose response finishes from now on (an ended stream among them)
  // would otherwise stay open until its keep-alive timeout.
  const sweeper = setInterval(() => server.closeIdleConnections(), 100);
  const drained = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000).unref())]);
  clearInterval(sweeper);
  if (!drained) server.closeAllConnections();
  await nextApp?.close().catch(() => undefined);
  await outbox?.stop().catch((error: Error) => console.error(`server: outbox: ${error.message}`));
  await closeChangeBus();
  await db().$disconnect();
  await closeSql();
});

server.on("error", (error) => {
  console.error(`server: ${error.message}`);
  void lifecycle.shutdown("could not listen", 1);
});
server.listen(port, host, () => {
  const mode = devicesOnly ? "device messages only" : dev ? "console (development) and devices" : "console and devices";
  console.log(`server: listening on http://${host ?? "localhost"}:${port} (${mode}); pid ${process.pid}`);
  if (firstAdminBanner) console.log(firstAdminBanner);
  process.send?.({ ready: true, port });
});

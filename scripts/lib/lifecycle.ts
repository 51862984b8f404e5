/**
 * One shutdown path per process. Signals (Ctrl-C is SIGINT to the whole process group, a
 * supervisor's stop is SIGTERM), the parent going away (IPC channel closed, or the process
 * re-parented: `npm` killed, a terminal closed) and the caller's own "done" all lead to the same
 * single `stop`, which runs once and to its end before the process exits. Exiting from a second
 * path while the first is still closing the embedded database is what used to leave its lock
 * and an unclean data folder behind.
 */
export type Lifecycle = { shutdown(reason: string, code: number): Promise<never>; stopping(): boolean };

/** Past this, stop is assumed stuck and the process exits anyway. */
const STOP_TIMEOUT_MS = 30_000;

export function installLifecycle(name: string, stop: (reason: string) => Promise<void>): Lifecycle {
  let running: Promise<never> | null = null;
  let since = 0;
  const shutdown = (reason: string, code: number): Promise<never> =>
    (running ??= (async () => {
      since = Date.now();
      console.log(`${name}: stopping (${reason})…`);
      const timer = setTimeout(() => {
        console.error(`${name}: stop took longer than ${STOP_TIMEOUT_MS / 1000} s; exiting anyway`);
        process.exit(code || 1);
      }, STOP_TIMEOUT_MS);
      try {
        await stop(reason);
      } catch (error) {
        console.error(`${name}: error while stopping`, error);
        code ||= 1;
      }
      clearTimeout(timer);
      console.log(`${name}: stopped.`);
      process.exit(code);
    })());

  const onSignal = (signal: NodeJS.Signals, code: number) => {
    // Ctrl-C reaches the whole group and npm forwards it too: one stop, no news, for a second.
    if (running && Date.now() - since > 1000) console.log(`${name}: ${signal} again; still stopping (the data must be closed cleanly)…`);
    void shutdown(signal, code);
  };
  process.on("SIGINT", () => onSignal("SIGINT", 130));
  process.on("SIGTERM", () => onSignal("SIGTERM", 143));
  process.on("SIGHUP", () => onSignal("SIGHUP", 129));

  // The parent going away: with an IPC channel the disconnect is immediate; without one, a
  // changed parent pid (re-parented to init or a subreaper) is noticed within a second.
  if (process.send) process.on("disconnect", () => void shutdown("parent exited", 1));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown("parent exited", 1);
  }, 1000).unref();

  return { shutdown, stopping: () => running !== null };
}

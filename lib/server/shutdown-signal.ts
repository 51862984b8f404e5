/**
 * The process is shutting down: one AbortSignal for work that would otherwise hold the stop up.
 * An open event stream is a response that never finishes, so `server.close()` in scripts/serve.ts
 * would wait its full drain timeout for every open browser tab; streams tied to this signal end
 * as soon as the stop begins.
 *
 * On globalThis, like the database clients and the change bus: serve.ts (run by tsx) and the
 * route handlers (Next's bundle) each load their own copy of this module, and both must see the
 * same controller.
 */
const g = globalThis as unknown as { deploydeskShutdown?: AbortController };

function controller(): AbortController {
  return (g.deploydeskShutdown ??= new AbortController());
}

export function shutdownSignal(): AbortSignal {
  return controller().signal;
}

/** Called once by the stop path (scripts/serve.ts) before it closes the server. */
export function signalShutdown(): void {
  controller().abort(new Error("the server is shutting down"));
}

/**
 * A signal that aborts with `signal` or at shutdown, whichever comes first.
 *
 * Not `AbortSignal.any([signal, shutdownSignal()])`: on Node 20 every signal made by `any()`
 * stays referenced by a long-lived input until that one aborts (nodejs/node#55351; here 1M
 * request signals, each aborted, left 1M dependants on the shutdown signal and +125 MiB). These
 * listeners are removed as soon as the request's signal aborts.
 */
export function untilShutdown(signal: AbortSignal): AbortSignal {
  const shutdown = shutdownSignal();
  if (signal.aborted) return signal;
  if (shutdown.aborted) return shutdown;
  const linked = new AbortController();
  const abort = (event: Event) => linked.abort((event.target as AbortSignal).reason);
  // `signal: linked.signal` removes both listeners the moment either one fires.
  shutdown.addEventListener("abort", abort, { once: true, signal: linked.signal });
  signal.addEventListener("abort", abort, { once: true, signal: linked.signal });
  return linked.signal;
}

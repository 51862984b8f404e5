import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { shutdownSignal, signalShutdown, untilShutdown } from "./shutdown-signal";

const g = globalThis as unknown as { deploydeskShutdown?: AbortController };
afterEach(() => {
  g.deploydeskShutdown = undefined;
});

describe("untilShutdown", () => {
  it("aborts with the request", () => {
    const request = new AbortController();
    const linked = untilShutdown(request.signal);
    expect(linked.aborted).toBe(false);
    request.abort("gone");
    expect(linked.aborted).toBe(true);
    expect(linked.reason).toBe("gone");
  });

  it("aborts every open one at shutdown", () => {
    const signals = [1, 2, 3].map(() => untilShutdown(new AbortController().signal));
    signalShutdown();
    expect(signals.map((s) => s.aborted)).toEqual([true, true, true]);
    expect(untilShutdown(new AbortController().signal).aborted).toBe(true);
  });

  it("leaves nothing on the shutdown signal once a request has ended", () => {
    const shutdown = shutdownSignal();
    const open = new AbortController();
    untilShutdown(open.signal);
    for (let i = 0; i < 1000; i++) {
      const request = new AbortController();
      untilShutdown(request.signal);
      request.abort();
    }
    // Only the request still open is listened for.
    expect(getEventListeners(shutdown, "abort")).toHaveLength(1);
    open.abort();
    expect(getEventListeners(shutdown, "abort")).toHaveLength(0);
  });

  it("is the controller another copy of the module made (serve.ts and Next's bundle each load one)", () => {
    const madeElsewhere = new AbortController();
    g.deploydeskShutdown = madeElsewhere;
    expect(shutdownSignal()).toBe(madeElsewhere.signal);
    signalShutdown();
    expect(madeElsewhere.signal.aborted).toBe(true);
  });
});

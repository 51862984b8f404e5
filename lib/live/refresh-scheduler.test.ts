import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRefreshScheduler } from "./refresh-scheduler";

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

function setUp(minIntervalMs = 500) {
  const starts: number[] = [];
  const s = createRefreshScheduler({ refresh: () => starts.push(Date.now() - 1_000_000), minIntervalMs, stuckMs: 10_000 });
  return { s, starts };
}

describe("the refresh scheduler", () => {
  it("refreshes at once when idle", () => {
    const { s, starts } = setUp();
    s.request();
    expect(starts).toEqual([0]);
  });

  it("coalesces a burst during a refresh into one more refresh after it", () => {
    const { s, starts } = setUp();
    s.request();
    for (let i = 0; i < 50; i++) s.request();
    vi.advanceTimersByTime(2000);
    expect(starts).toEqual([0]); // still running: never two at once
    s.done();
    expect(starts).toEqual([0, 2000]);
    s.done();
    vi.advanceTimersByTime(5000);
    expect(starts).toEqual([0, 2000]); // nothing new asked for
  });

  it("never starts two refreshes less than the interval apart, however fast they finish", () => {
    const { s, starts } = setUp();
    for (let t = 0; t < 3000; t += 10) {
      s.request();
      s.done();
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(1000);
    expect(starts).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
  });

  it("a change during the wait is served by the waiting refresh, not one more", () => {
    const { s, starts } = setUp();
    s.request();
    s.done();
    vi.advanceTimersByTime(100);
    s.request();
    vi.advanceTimersByTime(100);
    s.request();
    vi.advanceTimersByTime(400);
    s.done();
    vi.advanceTimersByTime(2000);
    expect(starts).toEqual([0, 500]);
  });

  it("a refresh that never reports done blocks the next only until stuckMs", () => {
    const { s, starts } = setUp();
    s.request();
    s.request();
    vi.advanceTimersByTime(9999);
    expect(starts).toEqual([0]);
    vi.advanceTimersByTime(1);
    expect(starts).toEqual([0, 10_000]);
  });

  it("does nothing once disposed", () => {
    const { s, starts } = setUp();
    s.request();
    s.done();
    s.request();
    s.dispose();
    vi.advanceTimersByTime(5000);
    expect(starts).toEqual([0]);
  });
});

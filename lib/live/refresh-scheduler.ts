/**
 * When a live page re-renders (components/live/live-updates.tsx): a burst of changes becomes one
 * refresh, at most one refresh runs at a time, and two refreshes start at least `minIntervalMs`
 * apart. A change that arrives while a refresh runs is not lost: it earns exactly one more
 * refresh after it, since the running one may have read the data just before that change.
 *
 * Pure apart from timers (vitest's fake timers drive it in the test).
 */
export type RefreshScheduler = {
  /** Something changed: refresh as soon as the rules allow. */
  request(): void;
  /** The running refresh has finished (its new data is on the screen). */
  done(): void;
  dispose(): void;
};

export type RefreshSchedulerOptions = {
  refresh: () => void;
  /** 500: at most two refreshes a second, however busy the fleet. */
  minIntervalMs?: number;
  /** A refresh that never reports done (a lost navigation) stops blocking the next after this. */
  stuckMs?: number;
};

export function createRefreshScheduler(options: RefreshSchedulerOptions): RefreshScheduler {
  const minIntervalMs = options.minIntervalMs ?? 500;
  const stuckMs = options.stuckMs ?? 10_000;
  let wanted = false;
  let running = false;
  let lastStart = -Infinity;
  let wait: ReturnType<typeof setTimeout> | null = null;
  let stuck: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  function pump(): void {
    if (disposed || !wanted || running || wait) return;
    const delay = lastStart + minIntervalMs - Date.now();
    if (delay > 0) {
      wait = setTimeout(() => {
        wait = null;
        pump();
      }, delay);
      return;
    }
    wanted = false;
    running = true;
    lastStart = Date.now();
    stuck = setTimeout(finish, stuckMs);
    options.refresh();
  }

  function finish(): void {
    if (!running) return;
    running = false;
    if (stuck) clearTimeout(stuck);
    stuck = null;
    pump();
  }

  return {
    request() {
      wanted = true;
      pump();
    },
    done: finish,
    dispose() {
      disposed = true;
      if (wait) clearTimeout(wait);
      if (stuck) clearTimeout(stuck);
    },
  };
}

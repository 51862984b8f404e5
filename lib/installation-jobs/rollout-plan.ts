/**
 * Throttled rollouts ("release gradually"), as pure arithmetic: when the next job of a batch is
 * due, whether a daily window is open, and when the failure rate should pause the batch. Nothing
 * here reads a clock or a database; rollout.ts passes `now` and the batch's stored state.
 *
 * The rule is "N per hour, spread evenly": the jobs are due one every 60/N minutes, on a clock
 * kept on the batch (`lastSlotAt`, the due time of the last job released, not the time the
 * sweep ran). The minute's sweep releases every job whose time has come, so a rate above 60 an
 * hour releases several a minute without losing any. Time the batch could not use — its window
 * closed, it was paused, no sweep ran — is not made up afterwards: jobs overdue by up to
 * CATCH_UP_MS go out, and after a longer gap a fresh stream starts with one job, so a resume or
 * a window opening starts a steady stream, never a burst. A job goes out at the first sweep at
 * or after its time and at most CATCH_UP_MS late, so any 60 minutes release at most what falls
 * due in 62: N + N/30 + 1.
 */

import type { RolloutInput } from "./install-batch-schema";
import { statusBucket, type JobStatus } from "./status-model";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const MINUTES_PER_DAY = 1440;

/**
 * Overdue time a sweep may still release: one sweep period (a minute) plus slack for a late
 * one. Shorter would lose jobs at rates above 60 an hour; longer would let a stalled queue burst.
 */
export const CATCH_UP_MS = 2 * MINUTE;

/** What "pause when the failure rate passes" counts from unless told otherwise (hawkBit-style error threshold). */
export const DEFAULT_MIN_FINISHED = 10;

/** A daily window in UTC minutes from midnight, start inclusive, end exclusive; start > end wraps midnight (22:00–06:00). */
export type DailyWindow = { startMinute: number; endMinute: number };

export type ReleasePlan = { perHour: number; window: DailyWindow | null };

export type FailureRule = { thresholdPercent: number; minFinished: number };

export type RolloutColumns = { perHour: number; windowStartMinute: number | null; windowEndMinute: number | null; failureThresholdPercent: number | null; minFinished: number | null };

/** The install's options as the batch row stores them (install_batches). */
export function rolloutColumns(input: RolloutInput): RolloutColumns {
  const threshold = input.failureThresholdPercent ?? null;
  return {
    perHour: input.perHour,
    windowStartMinute: input.windowStart !== undefined ? parseClock(input.windowStart) : null,
    windowEndMinute: input.windowEnd !== undefined ? parseClock(input.windowEnd) : null,
    failureThresholdPercent: threshold,
    minFinished: threshold === null ? null : (input.minFinished ?? DEFAULT_MIN_FINISHED),
  };
}

export function releasePlanOf(c: Pick<RolloutColumns, "perHour" | "windowStartMinute" | "windowEndMinute">): ReleasePlan {
  return { perHour: c.perHour, window: c.windowStartMinute !== null && c.windowEndMinute !== null ? { startMinute: c.windowStartMinute, endMinute: c.windowEndMinute } : null };
}

export function failureRuleOf(c: Pick<RolloutColumns, "failureThresholdPercent" | "minFinished">): FailureRule | null {
  return c.failureThresholdPercent === null ? null : { thresholdPercent: c.failureThresholdPercent, minFinished: c.minFinished ?? DEFAULT_MIN_FINISHED };
}

/** "22:00" → 1320. Null for anything that is not a 24-hour HH:MM. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** 1320 → "22:00". */
export function formatClock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/** Milliseconds between two due jobs. */
export function releaseInterval(plan: Pick<ReleasePlan, "perHour">): number {
  return HOUR / plan.perHour;
}

function startOfUtcDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

/** The opening of the window that contains `now`, or null when the window is closed then. */
export function currentOpening(window: DailyWindow, now: Date): { openedAt: Date; closesAt: Date } | null {
  const t = now.getTime();
  const day = startOfUtcDay(t);
  const { startMinute: s, endMinute: e } = window;
  // The opening that began today or, for a window across midnight, yesterday.
  for (const base of [day, day - DAY]) {
    const open = base + s * MINUTE;
    const close = base + (e > s ? e : e + MINUTES_PER_DAY) * MINUTE;
    if (open <= t && t < close) return { openedAt: new Date(open), closesAt: new Date(close) };
  }
  return null;
}

export function insideWindow(window: DailyWindow | null, now: Date): boolean {
  return window === null || currentOpening(window, now) !== null;
}

/** The first opening strictly after `now`. */
export function nextOpening(window: DailyWindow, now: Date): Date {
  const t = now.getTime();
  const today = startOfUtcDay(t) + window.startMinute * MINUTE;
  return new Date(today > t ? today : today + DAY);
}

/** `t` itself when the window is open then, else the next opening. */
export function earliestInWindow(window: DailyWindow | null, t: Date): Date {
  return window === null || insideWindow(window, t) ? t : nextOpening(window, t);
}

/**
 * How many jobs are due at `now` (before the count left and any cap), and the clock they are
 * counted from: the k-th due job's time is `anchor + k × interval`. Zero outside the window.
 */
export function releaseDue(plan: ReleasePlan, lastSlotAt: Date | null, now: Date): { due: number; anchor: Date } {
  const interval = releaseInterval(plan);
  const t = now.getTime();
  const opening = plan.window ? currentOpening(plan.window, now) : null;
  if (plan.window && !opening) return { due: 0, anchor: lastSlotAt ?? now };
  // Nothing due before this: the window's opening, and the catch-up limit.
  const floor = Math.max(opening?.openedAt.getTime() ?? -Infinity, t - CATCH_UP_MS);
  let anchor = lastSlotAt?.getTime() ?? null;
  // A first release, or one after a gap longer than the catch-up (or from before this opening),
  // starts a fresh stream whose first job is due now.
  if (anchor === null || anchor + interval < floor) anchor = t - interval;
  // The epsilon keeps a job due exactly now from being lost to floating-point rounding.
  const due = Math.max(0, Math.floor((t - anchor) / interval + 1e-9));
  return { due, anchor: new Date(anchor) };
}

/** The clock after `released` jobs counted from `anchor`, and when the next is due (null: none left). */
export function releaseAfter(plan: ReleasePlan, anchor: Date, released: number, remaining: number, now: Date): { lastSlotAt: Date | null; nextDueAt: Date | null } {
  const interval = releaseInterval(plan);
  const lastSlotAt = released > 0 ? new Date(Math.round(anchor.getTime() + released * interval)) : null;
  if (remaining <= 0) return { lastSlotAt, nextDueAt: null };
  const from = lastSlotAt ?? anchor;
  const nextAt = new Date(Math.max(Math.round(from.getTime() + interval), lastSlotAt ? 0 : now.getTime()));
  return { lastSlotAt, nextDueAt: earliestInWindow(plan.window, nextAt) };
}

export type RolloutState = "releasing" | "waiting_for_window" | "paused" | "released";

export type RolloutProgress = { targets: number; released: number; lastSlotAt: Date | null; paused: boolean };

export type ReleaseDecision = { count: number; lastSlotAt: Date | null; nextDueAt: Date | null; state: RolloutState };

/**
 * What to release now: at most `limit` (a transaction's bite), never more than is left, none
 * while paused. `lastSlotAt` is the clock to store once `count` jobs are out; `nextDueAt` when
 * the one after is due (`now` itself when the limit held some back).
 */
export function planRelease(plan: ReleasePlan, progress: RolloutProgress, now: Date, limit = Number.POSITIVE_INFINITY): ReleaseDecision {
  const remaining = progress.targets - progress.released;
  if (remaining <= 0) return { count: 0, lastSlotAt: progress.lastSlotAt, nextDueAt: null, state: "released" };
  if (progress.paused) return { count: 0, lastSlotAt: progress.lastSlotAt, nextDueAt: null, state: "paused" };
  const { due, anchor } = releaseDue(plan, progress.lastSlotAt, now);
  const count = Math.min(due, remaining, limit);
  if (count === 0) {
    const next = progress.lastSlotAt ? new Date(Math.round(progress.lastSlotAt.getTime() + releaseInterval(plan))) : now;
    return { count, lastSlotAt: progress.lastSlotAt, nextDueAt: earliestInWindow(plan.window, next > now ? next : now), state: insideWindow(plan.window, now) ? "releasing" : "waiting_for_window" };
  }
  const after = releaseAfter(plan, anchor, count, remaining - count, now);
  return { count, lastSlotAt: after.lastSlotAt, nextDueAt: after.nextDueAt && (count < due && count < remaining ? now : after.nextDueAt), state: "releasing" };
}

/** Finished and failed jobs, for the failure rule: Installation failed and Unknown status fail; the Installed table's statuses succeed. */
export type FailureCounts = { failed: number; finished: number };

/** Counts per status (cancelled jobs left out) → failed and finished, by the job counters' buckets. */
export function failureCounts(rows: { status: JobStatus; count: number }[]): FailureCounts {
  let failed = 0;
  let finished = 0;
  for (const { status, count } of rows) {
    const bucket = statusBucket(status);
    if (bucket === "attention") failed += count;
    if (bucket !== "installing") finished += count;
  }
  return { failed, finished };
}

/**
 * Why the batch should pause itself, or null: once at least `minFinished` released jobs have
 * finished (since the last resume: `before` is what had finished then), a failure rate above
 * the threshold.
 */
export function failurePause(rule: FailureRule | null, counts: FailureCounts, before: FailureCounts = { failed: 0, finished: 0 }): string | null {
  if (!rule) return null;
  const failed = Math.max(0, counts.failed - before.failed);
  const finished = Math.max(0, counts.finished - before.finished);
  if (finished < rule.minFinished || finished === 0) return null;
  const rate = (100 * failed) / finished;
  if (rate <= rule.thresholdPercent) return null;
  const since = before.finished > 0 ? " since the resume" : "";
  return `failure rate ${formatPercent(rate)} % (${failed} of ${finished} finished${since}) passed the ${rule.thresholdPercent} % threshold`;
}

/** 40 → "40", 33.333 → "33.3": a rate as people read it. */
export function formatPercent(rate: number): string {
  return String(Math.round(rate * 10) / 10);
}

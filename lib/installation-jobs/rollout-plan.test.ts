import { describe, expect, it } from "vitest";
import {
  CATCH_UP_MS,
  currentOpening,
  earliestInWindow,
  failureCounts,
  failurePause,
  formatClock,
  insideWindow,
  nextOpening,
  parseClock,
  planRelease,
  type DailyWindow,
  type ReleasePlan,
  type RolloutProgress,
} from "./rollout-plan";

const MIN = 60_000;
const at = (iso: string) => new Date(`2026-12-02T${iso}Z`);
const night: DailyWindow = { startMinute: 22 * 60, endMinute: 6 * 60 };
const office: DailyWindow = { startMinute: 9 * 60, endMinute: 17 * 60 };

/** Runs the minute sweep from `start` for `minutes`, as housekeeping would, and returns when each job went out. */
function simulate(plan: ReleasePlan, targets: number, start: Date, minutes: number, opts: { limit?: number; pausedBetween?: [number, number] } = {}) {
  let progress: RolloutProgress = { targets, released: 0, lastSlotAt: null, paused: false };
  const releases: number[] = [];
  for (let m = 0; m <= minutes; m++) {
    const now = new Date(start.getTime() + m * MIN);
    const paused = opts.pausedBetween ? m >= opts.pausedBetween[0] && m < opts.pausedBetween[1] : false;
    for (;;) {
      const d = planRelease(plan, { ...progress, paused }, now, opts.limit);
      if (d.count === 0) break;
      for (let i = 0; i < d.count; i++) releases.push(m);
      progress = { ...progress, released: progress.released + d.count, lastSlotAt: d.lastSlotAt };
      if (d.nextDueAt?.getTime() !== now.getTime()) break;
    }
  }
  return releases;
}

describe("clock texts", () => {
  it("reads and writes 24-hour HH:MM, refusing anything else", () => {
    expect(parseClock("00:00")).toBe(0);
    expect(parseClock("22:30")).toBe(1350);
    expect(parseClock("23:59")).toBe(1439);
    for (const bad of ["24:00", "7:00", "07:60", "07:00:00", "", "ab:cd"]) expect(parseClock(bad)).toBeNull();
    expect(formatClock(0)).toBe("00:00");
    expect(formatClock(1350)).toBe("22:30");
  });
});

describe("the daily window", () => {
  it.each([
    ["21:59", false],
    ["22:00", true],
    ["23:59", true],
    ["00:00", true],
    ["05:59", true],
    ["06:00", false],
    ["12:00", false],
  ])("22:00–06:00 (across midnight) at %s: open %s", (time, open) => {
    expect(insideWindow(night, at(`${time}:00`))).toBe(open);
  });

  it.each([
    ["08:59", false],
    ["09:00", true],
    ["16:59", true],
    ["17:00", false],
  ])("09:00–17:00 at %s: open %s", (time, open) => {
    expect(insideWindow(office, at(`${time}:00`))).toBe(open);
  });

  it("names the opening that holds a time, the one before midnight too", () => {
    expect(currentOpening(night, at("03:00:00"))).toEqual({ openedAt: new Date("2026-12-01T22:00:00Z"), closesAt: at("06:00:00") });
    expect(currentOpening(night, at("23:00:00"))).toEqual({ openedAt: at("22:00:00"), closesAt: new Date("2026-12-03T06:00:00Z") });
    expect(currentOpening(night, at("12:00:00"))).toBeNull();
  });

  it("finds the next opening: later today, or tomorrow once today's has begun", () => {
    expect(nextOpening(night, at("12:00:00"))).toEqual(at("22:00:00"));
    expect(nextOpening(night, at("22:00:00"))).toEqual(new Date("2026-12-03T22:00:00Z"));
    expect(nextOpening(night, at("03:00:00"))).toEqual(at("22:00:00"));
    expect(nextOpening(office, at("17:00:00"))).toEqual(new Date("2026-12-03T09:00:00Z"));
    expect(earliestInWindow(office, at("10:00:00"))).toEqual(at("10:00:00"));
    expect(earliestInWindow(null, at("03:00:00"))).toEqual(at("03:00:00"));
  });
});

describe("releasing N per hour, spread evenly", () => {
  it("releases one at once, then one every 60/N minutes: N in the first hour", () => {
    const releases = simulate({ perHour: 3, window: null }, 10, at("10:00:00"), 180);
    expect(releases.slice(0, 4)).toEqual([0, 20, 40, 60]);
    expect(releases.filter((m) => m < 60)).toHaveLength(3);
    expect(releases).toHaveLength(10);
    expect(releases.at(-1)).toBe(180);
  });

  it("keeps the rate above 60 an hour: several a minute, none lost to the minute sweep", () => {
    const releases = simulate({ perHour: 90, window: null }, 1000, at("10:00:00"), 60);
    // The job due at 59:20 goes out with the sweep at 60:00.
    expect(releases.filter((m) => m < 60)).toHaveLength(89);
    expect(releases.filter((m) => m <= 60)).toHaveLength(91);
    expect(Math.max(...[...Array(60).keys()].map((m) => releases.filter((r) => r === m).length))).toBeLessThanOrEqual(2);
  });

  it("at the largest rate, a minute's worth per sweep", () => {
    const releases = simulate({ perHour: 10_000, window: null }, 100_000, at("10:00:00"), 60);
    expect(releases.filter((m) => m <= 60)).toHaveLength(10_001);
    expect(releases.filter((m) => m === 30).length).toBeLessThanOrEqual(167);
  });

  it("a transaction's limit holds the rest for the next bite, due at once", () => {
    const d = planRelease({ perHour: 600, window: null }, { targets: 100, released: 1, lastSlotAt: at("10:00:00"), paused: false }, at("10:02:00"), 5);
    expect(d.count).toBe(5);
    expect(d.nextDueAt).toEqual(at("10:02:00"));
    expect(d.lastSlotAt).toEqual(at("10:00:30"));
    expect(simulate({ perHour: 600, window: null }, 100, at("10:00:00"), 3, { limit: 3 })).toHaveLength(31);
  });

  it("says when the next is due and stops when none is left", () => {
    const plan = { perHour: 4, window: null };
    const first = planRelease(plan, { targets: 2, released: 0, lastSlotAt: null, paused: false }, at("10:00:00"));
    expect(first).toEqual({ count: 1, lastSlotAt: at("10:00:00"), nextDueAt: at("10:15:00"), state: "releasing" });
    const waiting = planRelease(plan, { targets: 2, released: 1, lastSlotAt: at("10:00:00"), paused: false }, at("10:14:59"));
    expect(waiting).toMatchObject({ count: 0, nextDueAt: at("10:15:00"), state: "releasing" });
    const last = planRelease(plan, { targets: 2, released: 1, lastSlotAt: at("10:00:00"), paused: false }, at("10:15:00"));
    expect(last).toMatchObject({ count: 1, nextDueAt: null });
    expect(planRelease(plan, { targets: 2, released: 2, lastSlotAt: at("10:15:00"), paused: false }, at("11:00:00"))).toMatchObject({ count: 0, state: "released", nextDueAt: null });
  });

  it("never releases while paused, and does not make up the paused time afterwards", () => {
    const plan = { perHour: 6, window: null };
    expect(planRelease(plan, { targets: 5, released: 1, lastSlotAt: at("10:00:00"), paused: true }, at("12:00:00"))).toMatchObject({ count: 0, state: "paused", nextDueAt: null });
    // Paused from minute 5 to minute 125: the stream goes on at once, one every 10 minutes.
    const releases = simulate(plan, 100, at("10:00:00"), 150, { pausedBetween: [5, 125] });
    expect(releases).toEqual([0, 125, 135, 145]);
  });

  it("a short pause keeps the schedule: no extra job on resume", () => {
    const releases = simulate({ perHour: 1, window: null }, 5, at("10:00:00"), 130, { pausedBetween: [3, 8] });
    expect(releases).toEqual([0, 60, 120]);
  });

  it("a late sweep catches up a little; after a longer gap it starts afresh with one job", () => {
    const plan = { perHour: 60, window: null };
    const late = planRelease(plan, { targets: 100, released: 1, lastSlotAt: at("10:00:00"), paused: false }, new Date(at("10:00:00").getTime() + CATCH_UP_MS + MIN));
    expect(late.count).toBe(CATCH_UP_MS / MIN + 1);
    const d = planRelease(plan, { targets: 100, released: 1, lastSlotAt: at("10:00:00"), paused: false }, at("13:00:00"));
    expect(d).toMatchObject({ count: 1, lastSlotAt: at("13:00:00"), nextDueAt: at("13:01:00") });
  });
});

describe("inside a daily window only", () => {
  it("holds releases back outside it and names the opening", () => {
    const plan = { perHour: 10, window: night };
    const d = planRelease(plan, { targets: 5, released: 0, lastSlotAt: null, paused: false }, at("12:00:00"));
    expect(d).toEqual({ count: 0, lastSlotAt: null, nextDueAt: at("22:00:00"), state: "waiting_for_window" });
  });

  it("starts at the opening, runs across midnight, stops at the close, goes on the next night", () => {
    const plan = { perHour: 1, window: night };
    const releases = simulate(plan, 20, at("21:00:00"), 26 * 60).map((m) => new Date(at("21:00:00").getTime() + m * MIN).toISOString().slice(8, 16));
    expect(releases).toEqual(["02T22:00", "02T23:00", "03T00:00", "03T01:00", "03T02:00", "03T03:00", "03T04:00", "03T05:00", "03T22:00", "03T23:00"]);
  });

  it("a job due after the close is due at the next opening", () => {
    const plan = { perHour: 1, window: office };
    const d = planRelease(plan, { targets: 5, released: 1, lastSlotAt: at("16:30:00"), paused: false }, at("16:45:00"));
    expect(d).toMatchObject({ count: 0, nextDueAt: new Date("2026-12-03T09:00:00Z"), state: "releasing" });
    expect(planRelease(plan, { targets: 5, released: 1, lastSlotAt: at("16:30:00"), paused: false }, at("17:30:00")).state).toBe("waiting_for_window");
  });

  it("credit from before the opening is not used: one job at the opening, not a backlog", () => {
    const plan = { perHour: 60, window: office };
    const d = planRelease(plan, { targets: 100, released: 10, lastSlotAt: new Date("2026-12-01T16:59:00Z"), paused: false }, at("09:00:00"));
    expect(d.count).toBe(1);
    expect(d.nextDueAt).toEqual(at("09:01:00"));
  });

  it("the last minute of the window still releases; its close does not", () => {
    const plan = { perHour: 60, window: office };
    expect(planRelease(plan, { targets: 100, released: 1, lastSlotAt: at("16:58:00"), paused: false }, at("16:59:00")).count).toBe(1);
    expect(planRelease(plan, { targets: 100, released: 1, lastSlotAt: at("16:59:00"), paused: false }, at("17:00:00")).count).toBe(0);
  });
});

describe("pausing on failures", () => {
  const rule = { thresholdPercent: 20, minFinished: 10 };

  it("waits for the minimum of finished jobs", () => {
    expect(failurePause(rule, { failed: 9, finished: 9 })).toBeNull();
  });

  it("pauses above the threshold, saying the numbers; at the threshold it goes on", () => {
    expect(failurePause(rule, { failed: 4, finished: 10 })).toBe("failure rate 40 % (4 of 10 finished) passed the 20 % threshold");
    expect(failurePause(rule, { failed: 2, finished: 10 })).toBeNull();
    expect(failurePause(rule, { failed: 1, finished: 3 }, undefined)).toBeNull();
    expect(failurePause({ thresholdPercent: 0, minFinished: 1 }, { failed: 1, finished: 3 })).toBe("failure rate 33.3 % (1 of 3 finished) passed the 0 % threshold");
  });

  it("after a resume, counts only what finished since", () => {
    const before = { failed: 4, finished: 10 };
    expect(failurePause(rule, { failed: 5, finished: 15 }, before)).toBeNull();
    expect(failurePause(rule, { failed: 7, finished: 20 }, before)).toBe("failure rate 30 % (3 of 10 finished since the resume) passed the 20 % threshold");
  });

  it("no rule, no pause", () => {
    expect(failurePause(null, { failed: 10, finished: 10 })).toBeNull();
  });
});

describe("what counts as failed and finished", () => {
  it("failed: Installation failed and Unknown status; finished: those and the Installed table's; the rest is under way", () => {
    expect(
      failureCounts([
        { status: "INSTALLATION_FAILED", count: 2 },
        { status: "UNKNOWN_STATUS", count: 1 },
        { status: "INSTALLED", count: 3 },
        { status: "DOWNLOADED_VERIFIED", count: 1 },
        { status: "WAITING_FOR_DOWNLOAD", count: 5 },
        { status: "DOWNLOADED_WAITING_FOR_VERIFICATION", count: 4 },
      ]),
    ).toEqual({ failed: 3, finished: 7 });
  });
});

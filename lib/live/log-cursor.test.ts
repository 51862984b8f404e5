import { describe, expect, it } from "vitest";
import { LogCursor } from "./log-cursor";

const cursor = (window = 1000, maxGaps = 100) => new LogCursor({ window, maxGaps });

describe("LogCursor", () => {
  it("asks again for an id below the highest until it shows up (a lower id committing after a higher one)", () => {
    const c = cursor();
    c.start(10, [], 0);
    expect(c.accept(12, 0)).toBe(true); // 11 is still being written
    expect(c.next()).toEqual({ after: 12, gaps: [11] });
    expect(c.accept(12, 1)).toBe(false); // read again: not new
    expect(c.accept(11, 2)).toBe(true); // committed late: delivered once
    expect(c.accept(11, 3)).toBe(false);
    expect(c.next()).toEqual({ after: 12, gaps: [] });
  });

  it("treats ids up to the floor as history and the missing ones above it as gaps", () => {
    const c = cursor();
    c.start(100, [101, 103, 105], 0);
    expect(c.next()).toEqual({ after: 105, gaps: [102, 104] });
    expect(c.accept(100, 0)).toBe(false);
    expect(c.accept(104, 0)).toBe(true);
  });

  it("keeps ids seen before the start (a notification during the starting read)", () => {
    const c = cursor();
    expect(c.accept(7, 0)).toBe(true);
    c.start(5, [6], 0);
    expect(c.next()).toEqual({ after: 7, gaps: [] });
    expect(c.accept(7, 0)).toBe(false);
  });

  it("gives a gap up only after a read that started a window after it was noticed", () => {
    const c = cursor(1000);
    c.start(0, [], 0);
    c.accept(3, 500); // 1 and 2 noticed missing at 500
    c.expire(1400); // observed from 1400: not yet a window after 500
    expect(c.next().gaps).toEqual([1, 2]);
    c.expire(1501);
    expect(c.next().gaps).toEqual([]);
    expect(c.accept(1, 2000)).toBe(false); // too late: given up
  });

  it("marks a range announced without its ids as gaps, so a read after a disconnect cannot skip any", () => {
    const c = cursor();
    c.start(10, [], 0);
    c.acceptRange(11, 14, 0);
    expect(c.next()).toEqual({ after: 14, gaps: [11, 12, 13, 14] });
    expect(c.accept(12, 0)).toBe(true);
    c.acceptRange(5, 9, 0); // below: nothing to learn
    expect(c.next()).toEqual({ after: 14, gaps: [11, 13, 14] });
  });

  it("remembers at most maxGaps, the newest, even when the sequence jumps", () => {
    const c = cursor(1000, 3);
    c.start(0, [], 0);
    c.accept(1_000_000_000, 0);
    expect(c.next()).toEqual({ after: 1_000_000_000, gaps: [999_999_997, 999_999_998, 999_999_999] });
    c.accept(1_000_000_002, 1);
    expect(c.next().gaps).toEqual([999_999_998, 999_999_999, 1_000_000_001]);
  });
});

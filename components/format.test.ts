import { describe, expect, it } from "vitest";
import { formatDateTime, formatDuration, formatRelativeTime } from "./format";

const NOW = new Date("2026-11-21T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MIN = 60_000;

describe("relative times", () => {
  it.each([
    [0, "just now"],
    [59_000, "just now"],
    [-30_000, "just now"],
    [MIN, "1 min ago"],
    [4 * MIN + 59_000, "4 min ago"],
    [59 * MIN, "59 min ago"],
    [60 * MIN, "1 h ago"],
    [47 * 60 * MIN, "47 h ago"],
    [48 * 60 * MIN, "2 days ago"],
    [59 * 24 * 60 * MIN, "59 days ago"],
    [60 * 24 * 60 * MIN, "2026-09-22"],
    [-3 * 60 * MIN, "in 3 h"],
  ])("%i ms ago reads %s", (ms, text) => {
    expect(formatRelativeTime(ago(ms), NOW)).toBe(text);
  });

  it("takes ISO strings as the client components get them", () => {
    expect(formatRelativeTime(ago(4 * MIN).toISOString(), NOW.toISOString())).toBe("4 min ago");
    expect(formatDateTime(NOW.toISOString())).toBe("2026-11-21 12:00:00 UTC");
    expect(formatDuration(3600_000)).toBe("1 h");
  });
});

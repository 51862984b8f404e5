import { describe, expect, it } from "vitest";
import {
  formatBoolean,
  formatCursor,
  formatDeviceTime,
  formatDuration,
  formatFlags,
  parseBoolean,
  parseCursor,
  parseDeviceTime,
  parseDuration,
  parseFlags,
} from "./formats";

describe("durations (protocol §2.4)", () => {
  it.each([
    ["0000-00-00 01:00:00", 3600],
    ["0000-00-00 00:05:00", 300],
    ["0000-00-01 00:00:00", 86_400],
    ["0000-00-00 00:07:00", 420],
    ["0000-00-00 00:03:00", 180],
  ])("reads the documented %s as %i s and writes it back the same", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(formatDuration(seconds)).toBe(text);
  });

  it("round-trips every value it can write", () => {
    for (const s of [0, 1, 59, 60, 3599, 3600, 86_399, 86_401, 99 * 86_400 + 86_399]) expect(parseDuration(formatDuration(s))).toBe(s);
  });

  it("refuses what it cannot mean", () => {
    expect(parseDuration("0001-00-00 00:00:00")).toBeNull(); // a year has no fixed length
    expect(parseDuration("0000-01-00 00:00:00")).toBeNull();
    expect(parseDuration("0000-00-00 00:61:00")).toBeNull();
    expect(parseDuration("1 hour")).toBeNull();
    expect(() => formatDuration(-1)).toThrow();
    expect(() => formatDuration(100 * 86_400)).toThrow();
  });
});

describe("Flags", () => {
  it.each([
    ["01 00 00 00", 1],
    ["02 00 00 00", 2],
    ["03 00 00 00", 3],
    ["04 00 00 00", 4],
    ["06 00 00 00", 6],
    ["FF 00 00 80", 0x800000ff],
  ])("%s is %i, both ways", (text, mask) => {
    expect(parseFlags(text)).toBe(mask);
    expect(formatFlags(mask)).toBe(text);
  });
  it("reads lower case and refuses other shapes", () => {
    expect(parseFlags("0a 00 00 00")).toBe(10);
    expect(parseFlags("03000000")).toBeNull();
    expect(parseFlags("03 00 00")).toBeNull();
    expect(parseFlags("3")).toBeNull();
  });
});

describe("booleans, device times, cursors", () => {
  it("reads every spelling the docs and devices use", () => {
    for (const t of ["true", "True", "TRUE", "YES", "Yes", "1"]) expect(parseBoolean(t)).toBe(true);
    for (const f of ["false", "False", "NO", "No", "0"]) expect(parseBoolean(f)).toBe(false);
    expect(parseBoolean("maybe")).toBeNull();
    expect(formatBoolean(true)).toBe("true");
  });

  it("device times round-trip and impossible dates are refused", () => {
    const t = parseDeviceTime("2002-11-25 19:43:31")!;
    expect(t.toISOString()).toBe("2002-11-25T19:43:31.000Z");
    expect(formatDeviceTime(t)).toBe("2002-11-25 19:43:31");
    expect(parseDeviceTime("2002-02-31 00:00:00")).toBeNull();
    expect(parseDeviceTime("0000-01-01 00:00:00")).toBeNull();
    expect(parseDeviceTime("0099-01-01 00:00:00")!.getUTCFullYear()).toBe(99);
  });

  it("writes cursors in the samples' form and reads back its own", () => {
    expect(formatCursor(new Date("2002-04-07T22:09:27Z"))).toBe("4/7/2002 10:09:27 PM");
    expect(formatCursor(new Date("2002-11-11T10:40:53Z"))).toBe("11/11/2002 10:40:53 AM");
    expect(formatCursor(new Date("2026-12-01T00:05:00Z"))).toBe("12/1/2026 12:05:00 AM");
    for (const iso of ["2026-12-01T00:05:00Z", "2026-12-01T12:00:00Z", "2026-02-28T23:59:59Z"]) {
      expect(parseCursor(formatCursor(new Date(iso)))?.toISOString()).toBe(new Date(iso).toISOString());
    }
    expect(parseCursor("")).toBeNull();
    expect(parseCursor("0")).toBeNull();
  });
});

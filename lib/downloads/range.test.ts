import { describe, expect, it } from "vitest";
import { decideRange } from "./range";

describe("decideRange", () => {
  it.each([
    [null, { kind: "full" }],
    ["bytes=0-", { kind: "partial", start: 0, end: 999 }],
    ["bytes=500-", { kind: "partial", start: 500, end: 999 }],
    ["bytes=500-599", { kind: "partial", start: 500, end: 599 }],
    ["bytes=900-5000", { kind: "partial", start: 900, end: 999 }],
    ["bytes=-100", { kind: "partial", start: 900, end: 999 }],
    ["bytes=-5000", { kind: "partial", start: 0, end: 999 }],
    ["bytes=999-999", { kind: "partial", start: 999, end: 999 }],
    ["bytes=1000-", { kind: "unsatisfiable" }],
    ["bytes=5000-6000", { kind: "unsatisfiable" }],
    ["bytes=-0", { kind: "unsatisfiable" }],
    ["bytes=0-10,20-30", { kind: "full" }],
    ["items=0-10", { kind: "full" }],
    ["bytes=20-10", { kind: "full" }],
    ["bytes=-", { kind: "full" }],
  ] as const)("%s of 1000 bytes -> %o", (header, expected) => {
    expect(decideRange(header, 1000)).toEqual(expected);
  });

  it("honours If-Range only with the current ETag", () => {
    expect(decideRange("bytes=10-", 100, '"abc"', '"abc"')).toEqual({ kind: "partial", start: 10, end: 99 });
    expect(decideRange("bytes=10-", 100, '"old"', '"abc"')).toEqual({ kind: "full" });
  });
});

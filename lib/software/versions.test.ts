import { describe, expect, it } from "vitest";
import { compareVersions, versionsBelow } from "./versions";

describe("compareVersions", () => {
  it.each([
    ["1.9", "1.10", -1],
    ["6.0", "6.0.1", -1],
    ["6.0.1234", "6.0.1234", 0],
    ["6.1", "6.0.9999", 1],
    ["1.0", "1.beta", -1],
    ["2.0-RC1", "2.0-rc1", 0],
    ["10", "9", 1],
    ["", "1", -1],
  ])("%s vs %s", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
    expect(Math.sign(compareVersions(b, a))).toBe(-sign || 0);
  });
});

describe("versionsBelow", () => {
  it("keeps only the lower versions, in their order", () => {
    expect(versionsBelow(["6.0.100", "6.0.99", "6.1", "5.9"], "6.0.100")).toEqual(["6.0.99", "5.9"]);
  });
});

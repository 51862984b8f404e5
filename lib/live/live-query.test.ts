import { describe, expect, it } from "vitest";
import { parseLiveQuery } from "./live-query";
import { liveUrl, MAX_LIVE_JOBS, type LiveFilter } from "./live-url";

const parse = (query: string) => parseLiveQuery(new URLSearchParams(query));
const refusal = (query: string) => {
  try {
    parse(query);
  } catch (error) {
    return error as { code: string; message: string; details?: { fields?: { field: string }[] } };
  }
  throw new Error(`"${query}" was accepted`);
};

describe("the live stream's query", () => {
  it.each<LiveFilter>([{ device: "43004500500043000000434550434B53" }, { device: "a b&c=d/é" }, { jobs: [1, 22, 333] }, { log: true }])(
    "reads back what liveUrl wrote: %j",
    (filter) => {
      const url = new URL(liveUrl(filter), "http://x");
      expect(url.pathname).toBe("/api/live");
      expect(parseLiveQuery(url.searchParams)).toEqual(filter);
    },
  );

  it("writes the short forms pages and scripts type", () => {
    expect(liveUrl({ log: true })).toBe("/api/live?log");
    expect(liveUrl({ jobs: [4, 5] })).toBe("/api/live?jobs=4%2C5");
    expect(parse("log=1")).toEqual({ log: true });
    expect(parse("jobs=4,5,4")).toEqual({ jobs: [4, 5] });
    expect(parse("device=%20ABC%20")).toEqual({ device: "ABC" });
  });

  it.each([
    ["", ""],
    ["batch=3", "batch"],
    ["device=A&log", ""],
    ["device=A&device=B", "device"],
    ["device=", "device"],
    ["device=A%00B", "device"],
    ["jobs=", "jobs"],
    ["jobs=1,x", "jobs.1"],
    ["jobs=0", "jobs.0"],
    ["jobs=1.5", "jobs.0"],
    ["jobs=1,,2", "jobs.1"],
    [`jobs=${Array.from({ length: MAX_LIVE_JOBS + 1 }, (_, i) => i + 1).join(",")}`, "jobs"],
    ["log=yes", "log"],
  ])("refuses %j, naming the field %j", (query, field) => {
    const error = refusal(query);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details?.fields?.[0]?.field).toBe(field);
  });

  it("a filter object with two kinds is a programming error, not a URL", () => {
    expect(() => liveUrl({ device: "A", log: true } as unknown as LiveFilter)).toThrow(/exactly one/);
  });
});

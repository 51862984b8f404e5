import { describe, expect, it } from "vitest";
import { parsedCases } from "@/lib/testing/parsed";
import { encodeCursor } from "@/lib/db/keyset";
import { DEFAULT_LOG_LIST, logExportHref, logListHref, logListQuery, parseLogListParams, parseLogTime, statusFromText } from "./list-log-params";

const { ok, issues } = parsedCases(parseLogListParams);

describe("the log's address", () => {
  it("has defaults: no filters, page 1 of 50, ordered by id", () => {
    expect(ok({})).toEqual(DEFAULT_LOG_LIST);
    expect(logListHref(DEFAULT_LOG_LIST)).toBe("/log");
  });

  it("reads every filter, repeated values OR-ed, empty and repeated ones dropped", () => {
    const p = ok({
      device: ["HAM-0421", " 43004500500043000000434550434B5335343934350000000000 ", "", "HAM-0421"],
      software: ["3", "12", "3"],
      status: ["Installation failed", "installed - verified"],
      messageId: ["11032", "11035"],
      from: "2026-11-01T08:30",
      before: "2026-12-01T00:00:05",
      q: "  timeout ",
      limit: "100",
    });
    expect(p).toMatchObject({
      device: ["HAM-0421", "43004500500043000000434550434B5335343934350000000000"],
      software: [3, 12],
      status: ["INSTALLATION_FAILED", "INSTALLED_VERIFIED"],
      messageId: ["11032", "11035"],
      from: new Date("2026-11-01T08:30:00Z"),
      before: new Date("2026-12-01T00:00:05Z"),
      q: "timeout",
      limit: 100,
    });
  });

  it("round-trips through its links", () => {
    const p = ok({ device: ["a-device", "another"], software: "7", status: "Downloaded \u2013 Verified", messageId: "11031", from: "2026-11-01T08:30", before: "2026-11-02T08:30:01.250Z", q: "served" });
    expect(ok(new URLSearchParams(logListQuery(p)))).toEqual(p);
    const withCursor = { ...p, cursor: { sort: "receivedAt" as const, dir: "desc" as const, direction: "after" as const, value: "2026-11-01T09:00:00.000Z", id: "123" } };
    expect(ok(new URLSearchParams(logListQuery(withCursor)))).toEqual(withCursor);
    // The export drops the page position and size: it holds every matching row.
    expect(logExportHref({ ...withCursor, limit: 10 })).toBe(`/log/export.csv?${logListQuery(p)}`);
  });

  it.each([
    ["a status that is not one", { status: "Done" }, "status"],
    ["a software id that is not a number", { software: "abc" }, "software"],
    ["a device part too short", { device: "ab" }, "device"],
    ["a message ID with spaces", { messageId: "11 30" }, "messageId"],
    ["a date that is not one", { from: "yesterday" }, "from"],
    ["a day that does not exist", { before: "2026-02-31T10:00" }, "before"],
    ["a range that ends before it starts", { from: "2026-12-01T00:00", before: "2026-11-01T00:00" }, "from"],
    ["a search too short", { q: "ab" }, "q"],
    ["a NUL in the search", { q: "abc\u0000" }, "q"],
    ["a page size of 0", { limit: "0" }, "limit"],
    ["a page size too big", { limit: "201" }, "limit"],
    ["two searches", { q: ["abc", "def"] }, "q"],
    ["a malformed cursor", { cursor: "!!" }, "cursor"],
  ])("refuses %s, naming the parameter", (_, input, field) => {
    const found = issues(input);
    expect(found.map((i) => i.field)).toContain(field);
    expect(found.every((i) => i.message.length > 10 && !/Invalid input/.test(i.message))).toBe(true);
  });

  it("says what is wrong with a reversed range", () => {
    expect(issues({ from: "2026-12-01T00:00", before: "2026-11-01T00:00" })[0]!.message).toMatch(/"from" must be earlier than "before"/);
  });

  it("refuses a cursor of the other order (with or without a time range)", () => {
    const byId = encodeCursor({ sort: "id", dir: "desc", direction: "after", value: "50", id: "50" });
    expect(ok({ cursor: byId }).cursor).toMatchObject({ sort: "id", id: "50" });
    expect(issues({ cursor: byId, from: "2026-11-01T00:00" })[0]).toMatchObject({ field: "cursor" });
    const byTime = encodeCursor({ sort: "receivedAt", dir: "desc", direction: "after", value: "2026-11-01T09:00:00.000Z", id: "5" });
    expect(issues({ cursor: byTime })[0]).toMatchObject({ field: "cursor" });
    expect(issues({ cursor: encodeCursor({ sort: "id", dir: "asc", direction: "after", value: "5", id: "5" }) })[0]).toMatchObject({ field: "cursor" });
  });
});

describe("times and statuses", () => {
  it("reads datetime-local values as UTC, and ISO times with their offset", () => {
    expect(parseLogTime("2026-11-20T14:30")).toEqual(new Date("2026-11-20T14:30:00Z"));
    expect(parseLogTime("2026-11-20 14:30:15")).toEqual(new Date("2026-11-20T14:30:15Z"));
    expect(parseLogTime("2026-11-20T14:30:00+01:00")).toEqual(new Date("2026-11-20T13:30:00Z"));
    expect(parseLogTime("2026-11-20")).toBeNull();
    expect(parseLogTime("2026-13-01T00:00")).toBeNull();
  });

  it("finds a status by its display text, with a hyphen for the en dash", () => {
    expect(statusFromText("Installed \u2013 Waiting for verification")).toBe("INSTALLED_WAITING_FOR_VERIFICATION");
    expect(statusFromText("downloaded - verified")).toBe("DOWNLOADED_VERIFIED");
    expect(statusFromText("INSTALLATION_FAILED")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { parsedCases } from "@/lib/testing/parsed";
import { encodeCursor } from "@/lib/db/keyset";
import { AppError } from "@/lib/errors";
import { DEFAULT_DEVICE_LIST, deviceListHref, deviceListParamsOrThrow, parseDeviceListParams, sortHref, type DeviceListParams } from "./list-devices-params";

const { ok, issues } = parsedCases(parseDeviceListParams);

describe("devices list parameters", () => {
  it("defaults to the first page by name, 50 rows", () => {
    expect(ok(new URLSearchParams())).toEqual(DEFAULT_DEVICE_LIST);
    expect(DEFAULT_DEVICE_LIST).toMatchObject({ sort: "name", dir: "asc", limit: 50, cursor: null });
  });

  it("reads repeated filter values from URLSearchParams and from Next's searchParams alike", () => {
    const url = ok(new URLSearchParams("q=+scanner+&platform=Windows+CE+6.0&platform=PocketPC+2003&platform=&jobState=attention&jobState=attention&lastContact=overdue&lastContact=never"));
    const next = ok({ q: " scanner ", platform: ["Windows CE 6.0", "PocketPC 2003", ""], jobState: ["attention", "attention"], lastContact: ["overdue", "never"] });
    expect(url).toEqual(next);
    expect(url).toMatchObject({ q: "scanner", platform: ["Windows CE 6.0", "PocketPC 2003"], jobState: ["attention"], lastContact: ["overdue", "never"] });
  });

  it("gives each column its own first direction", () => {
    expect(ok({ sort: "lastContact" })).toMatchObject({ sort: "lastContact", dir: "desc" });
    expect(ok({ sort: "platform", dir: "desc" })).toMatchObject({ sort: "platform", dir: "desc" });
    expect(ok({ q: "" }).q).toBeNull();
  });

  it("refuses an unknown sort column by name, never passing it on", () => {
    expect(issues({ sort: "password; DROP TABLE devices" })).toEqual([
      { field: "sort", message: 'The list cannot be sorted by "password; DROP TABLE devices"; sortable columns are name, lastContact, platform, clientVersion.' },
    ]);
    expect(issues({ sort: "constructor" })[0]!.field).toBe("sort");
  });

  it.each([
    [{ limit: "201" }, "limit"],
    [{ dir: "up" }, "dir"],
    [{ lastContact: ["overdue", "yesterday"] }, "lastContact"],
    [{ jobState: "broken" }, "jobState"],
    [{ q: "x".repeat(101) }, "q"],
    [{ q: "a\u0000b" }, "q"],
    [{ q: " 07 " }, "q"],
    [{ sort: ["name", "platform"] }, "sort"],
    [{ platform: Array.from({ length: 51 }, (_, i) => `p${i}`) }, "platform"],
    [{ cursor: "not a cursor!" }, "cursor"],
    [{ group: "abc" }, "group"],
    [{ group: "0" }, "group"],
    [{ group: "12345678901" }, "group"],
    [{ group: "9999999999" }, "group"],
    [{ hide: "withdrawn" }, "hide"],
    [{ clientBelow: ["1.0", "2.0"] }, "clientBelow"],
    [{ cursor: encodeCursor({ sort: "name", dir: "asc", direction: "after", value: 5, id: 1 }) }, "cursor"],
  ])("refuses %j with an issue on %s", (input, field) => {
    const found = issues(input);
    expect(found.map((i) => i.field)).toContain(field);
    for (const i of found) expect(i.message.length).toBeGreaterThan(10);
  });

  it("throws the issues for the JSON API, field and message each", () => {
    expect(() => deviceListParamsOrThrow({ sort: "x", limit: "0" })).toThrow(AppError);
    try {
      deviceListParamsOrThrow({ sort: "x", limit: "0" });
    } catch (e) {
      expect((e as AppError).details!.fields!.map((i) => i.field).sort()).toEqual(["limit", "sort"]);
    }
    expect(deviceListParamsOrThrow({})).toEqual(DEFAULT_DEVICE_LIST);
  });

  it("takes a cursor only for the sort order it was made in", () => {
    const cursor = encodeCursor({ sort: "lastContact", dir: "desc", direction: "after", value: "2026-11-20T10:00:00.000Z", id: 42 });
    expect(ok({ sort: "lastContact", cursor }).cursor).toEqual({ sort: "lastContact", dir: "desc", direction: "after", value: "2026-11-20T10:00:00.000Z", id: 42 });
    expect(issues({ sort: "lastContact", dir: "asc", cursor })).toEqual([{ field: "cursor", message: expect.stringContaining("another sort order") }]);
    expect(issues({ cursor })[0]!.field).toBe("cursor");
  });

  it("writes links that parse back to the same state, defaults left out", () => {
    const p = ok({ q: "HAM-0", platform: ["Windows CE 6.0", "A&B=C"], jobState: ["none"], group: ["3", "12"], clientBelow: "6.0.1", hide: ["default", "test"], sort: "platform", dir: "desc", limit: "25" });
    expect(p).toMatchObject({ group: [3, 12], clientBelow: "6.0.1", hide: ["default", "test"] });
    const href = deviceListHref(p);
    expect(href.startsWith("/devices?")).toBe(true);
    expect(ok(new URL(href, "http://x").searchParams)).toEqual(p);
    expect(deviceListHref(DEFAULT_DEVICE_LIST)).toBe("/devices");
    const withCursor = { ...p, cursor: { sort: "platform" as const, dir: "desc" as const, direction: "after" as const, value: null, id: 3 } };
    expect(ok(new URL(deviceListHref(withCursor), "http://x").searchParams)).toEqual(withCursor);
  });

  it("sorts by a header: the other direction on the sorted column, the column's own first otherwise, from page 1", () => {
    const p = { ...DEFAULT_DEVICE_LIST, cursor: { sort: "name" as const, dir: "asc" as const, direction: "after" as const, value: "m", id: 9 } };
    expect(sortHref(p, "name")).toBe("/devices?dir=desc");
    expect(sortHref(p, "lastContact")).toBe("/devices?sort=lastContact");
    expect(sortHref({ ...DEFAULT_DEVICE_LIST, sort: "lastContact", dir: "desc" }, "lastContact")).toBe("/devices?sort=lastContact&dir=asc");
  });
});

import { describe, expect, it } from "vitest";
import { parsedCases } from "@/lib/testing/parsed";
import { z } from "zod";
import { encodeCursor } from "@/lib/db/keyset";
import { AppError } from "@/lib/errors";
import { DEFAULT_JOB_LIST, hasJobFilters, jobListHref, jobListParamsOrThrow, jobListQuerySchema, jobSortHref, parseJobListParams, type JobListParams } from "./list-jobs-params";

const { ok, issues } = parsedCases(parseJobListParams);

describe("jobs list parameters", () => {
  it("defaults to the first page, newest created first, 50 rows", () => {
    expect(ok(new URLSearchParams())).toEqual(DEFAULT_JOB_LIST);
    expect(DEFAULT_JOB_LIST).toMatchObject({ sort: "created", dir: "desc", limit: 50, cursor: null });
    expect(ok({ sort: "updated" })).toMatchObject({ sort: "updated", dir: "desc" });
    expect(hasJobFilters(DEFAULT_JOB_LIST)).toBe(false);
  });

  it("reads every filter, repeated values OR-ed, from URLSearchParams and Next's searchParams alike", () => {
    const url = ok(
      new URLSearchParams("software=3&software=7&software=3&state=failed&status=Installation+failed&status=Installed+%E2%80%93+Verified&method=SMS_PUSH&method=&device=+ABC123+&batch=12"),
    );
    const next = ok({ software: ["3", "7", "3"], state: "failed", status: ["Installation failed", "Installed \u2013 Verified"], method: ["SMS_PUSH", ""], device: " ABC123 ", batch: "12" });
    expect(url).toEqual(next);
    expect(url).toMatchObject({ software: [3, 7], state: ["failed"], status: ["INSTALLATION_FAILED", "INSTALLED_VERIFIED"], method: ["SMS_PUSH"], device: "ABC123", batch: 12 });
    expect(hasJobFilters(url)).toBe(true);
  });

  it("refuses an unknown sort column by name, never passing it on", () => {
    expect(issues({ sort: "status; DROP TABLE installation_jobs" })).toEqual([
      { field: "sort", message: 'The list cannot be sorted by "status; DROP TABLE installation_jobs"; sortable columns are created, updated.' },
    ]);
    expect(issues({ sort: "constructor" })[0]!.field).toBe("sort");
  });

  it.each([
    [{ limit: "201" }, "limit"],
    [{ software: "abc" }, "software"],
    [{ software: "0" }, "software"],
    [{ software: "99999999999" }, "software"],
    [{ state: "done" }, "state"],
    [{ status: "INSTALLED" }, "status"],
    [{ status: "Installed - Verified" }, "status"],
    [{ method: "EMAIL" }, "method"],
    [{ device: "has space" }, "device"],
    [{ device: "x".repeat(101) }, "device"],
    [{ batch: "-1" }, "batch"],
    [{ batch: ["1", "2"] }, "batch"],
    [{ software: Array.from({ length: 51 }, (_, i) => String(i + 1)) }, "software"],
    [{ cursor: "not a cursor!" }, "cursor"],
    [{ cursor: encodeCursor({ sort: "created", dir: "desc", direction: "after", value: 5, id: 1 }) }, "cursor"],
    [{ cursor: encodeCursor({ sort: "name", dir: "asc", direction: "after", value: "a", id: 1 }) }, "cursor"],
  ])("refuses %j with an issue on %s", (input, field) => {
    const found = issues(input);
    expect(found.map((i) => i.field)).toContain(field);
    for (const i of found) expect(i.message.length).toBeGreaterThan(10);
  });

  it("names the display texts when a status is not one", () => {
    expect(issues({ status: "done" })[0]!.message).toContain("Downloaded \u2013 Waiting for verification");
  });

  it("throws the issues for the JSON API, field and message each", () => {
    try {
      jobListParamsOrThrow({ sort: "x", state: "y" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe("VALIDATION_FAILED");
      expect((e as AppError).details!.fields!.map((i) => i.field).sort()).toEqual(["sort", "state"]);
    }
    expect(jobListParamsOrThrow({})).toEqual(DEFAULT_JOB_LIST);
  });

  it("takes a cursor only for the sort order it was made in", () => {
    const cursor = encodeCursor({ sort: "updated", dir: "desc", direction: "before", value: "2026-11-20T10:00:00.000Z", id: 42 });
    expect(ok({ sort: "updated", cursor }).cursor).toEqual({ sort: "updated", dir: "desc", direction: "before", value: "2026-11-20T10:00:00.000Z", id: 42 });
    expect(issues({ sort: "updated", dir: "asc", cursor })).toEqual([{ field: "cursor", message: expect.stringContaining("another sort order") }]);
    expect(issues({ cursor })[0]!.field).toBe("cursor");
  });

  it("writes links that parse back to the same state, defaults left out", () => {
    const p = ok({ software: ["3"], state: "installed", status: "Downloaded \u2013 Verified", method: "OMA_DM", device: "ABC", batch: "4", sort: "updated", dir: "asc", limit: "20" });
    const href = jobListHref(p);
    expect(ok(new URLSearchParams(href.slice(href.indexOf("?") + 1)))).toEqual(p);
    expect(jobListHref()).toBe("/jobs");
    expect(jobListHref(DEFAULT_JOB_LIST, { software: [3], state: ["installed"] })).toBe("/jobs?software=3&state=installed");
  });

  it("sorts by a header: the other direction of the current sort, newest first for another; page 1", () => {
    const cursor = { sort: "created" as const, dir: "desc" as const, direction: "after" as const, value: "2026-11-20T10:00:00.000Z", id: 9 };
    const p = { ...DEFAULT_JOB_LIST, state: ["failed" as const], cursor };
    expect(jobSortHref(p, "created")).toBe("/jobs?state=failed&dir=asc");
    expect(jobSortHref(p, "updated")).toBe("/jobs?state=failed&sort=updated");
  });

  it("describes its query parameters as JSON Schema for the OpenAPI document", () => {
    const schema = z.toJSONSchema(jobListQuerySchema, { io: "input", unrepresentable: "any" }) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual(["batch", "cursor", "device", "dir", "limit", "method", "software", "sort", "state", "status"]);
  });
});

/** The pieces every list address is built from (the devices list, the jobs list, the log). */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { dirParam, enumValues, idParam, limitParam, listParamValues, nextSortDir, sortParam } from "./validation";

const message = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`accepted ${JSON.stringify(input)}`);
  return r.error.issues[0]!.message;
};

describe("list address helpers", () => {
  it("gathers single and repeated keys from either form of search parameters", () => {
    const fromUrl = listParamValues(new URLSearchParams("sort=name&platform=A&platform=+A+&platform=&platform=B&x=1"), ["sort"], ["platform"]);
    const fromNext = listParamValues({ sort: "name", platform: ["A", " A ", "", "B"], x: "1" }, ["sort"], ["platform"]);
    for (const r of [fromUrl, fromNext]) expect(r).toEqual({ raw: { sort: "name", platform: ["A", "B"] }, issues: [] });
    expect(listParamValues(new URLSearchParams("sort=a&sort=b"), ["sort"], []).issues).toEqual([{ field: "sort", message: "sort can be given only once." }]);
  });

  it("refuses a sort, direction, page size, id or filter value it does not know, saying what it takes", () => {
    expect(message(sortParam(["name", "created"] as const), "password; DROP TABLE x")).toBe('The list cannot be sorted by "password; DROP TABLE x"; sortable columns are name, created.');
    expect(message(dirParam, "up")).toBe('The sort direction must be asc or desc, not "up".');
    for (const bad of ["0", "1e2", "-5", "abc", " 5"]) expect(message(limitParam(200), bad)).toBe("The page size must be a whole number from 1 to 200.");
    expect(message(limitParam(200), "201")).toBe("The page size can be at most 200.");
    expect(limitParam(200).parse("200")).toBe(200);
    for (const bad of ["0", "01", "abc", "12345678901"]) expect(message(idParam("software"), bad)).toMatch(/is not a software id/);
    expect(message(idParam("software"), "9999999999")).toBe("That software id is too large.");
    expect(idParam("software").parse("2147483647")).toBe(2_147_483_647);
    expect(message(enumValues("state", ["failed", "installed"] as const), ["failed", "broken"])).toBe('"broken" is not a state filter; use failed, installed.');
    expect(message(enumValues("state", ["failed"] as const), Array.from({ length: 51 }, () => "failed"))).toBe("At most 50 state filters at once.");
  });

  it("links a column header to the other direction when it is the sort, else to the column's own first", () => {
    const defaults = { name: "asc", lastContact: "desc" } as const;
    expect(nextSortDir({ sort: "name", dir: "asc" }, "name", defaults)).toBe("desc");
    expect(nextSortDir({ sort: "name", dir: "desc" }, "name", defaults)).toBe("asc");
    expect(nextSortDir({ sort: "name", dir: "asc" }, "lastContact", defaults)).toBe("desc");
  });
});

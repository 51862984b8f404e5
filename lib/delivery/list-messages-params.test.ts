import { describe, expect, it } from "vitest";
import { encodeCursor } from "@/lib/db/keyset";
import { AppError } from "@/lib/errors";
import { parsedCases } from "@/lib/testing/parsed";
import { messageHref } from "./message-view";
import {
  DEFAULT_MESSAGE_LIST,
  hasMessageFilters,
  messageListHref,
  messageListParamsOrThrow,
  messageSortHref,
  parseMessageListParams,
} from "./list-messages-params";

const { ok, issues } = parsedCases(parseMessageListParams);

describe("Outbox list parameters", () => {
  it("defaults to the first page, newest first, 50 rows", () => {
    expect(ok(new URLSearchParams())).toEqual(DEFAULT_MESSAGE_LIST);
    expect(DEFAULT_MESSAGE_LIST).toMatchObject({ sort: "created", dir: "desc", limit: 50, cursor: null });
    expect(hasMessageFilters(DEFAULT_MESSAGE_LIST)).toBe(false);
  });

  it("reads every filter, repeated values OR-ed, from URLSearchParams and Next's searchParams alike", () => {
    const url = ok(new URLSearchParams("kind=SMS_PUSH&kind=WAP_PUSH&kind=SMS_PUSH&state=queued&state=not+sent&state=&q=+%2B49+155+&job=12&device=+ABC123+"));
    const next = ok({ kind: ["SMS_PUSH", "WAP_PUSH", "SMS_PUSH"], state: ["queued", "not sent", ""], q: " +49 155 ", job: "12", device: " ABC123 " });
    expect(url).toEqual(next);
    expect(url).toMatchObject({ kind: ["SMS_PUSH", "WAP_PUSH"], state: ["queued", "not sent"], q: "+49 155", job: 12, device: "ABC123" });
    expect(hasMessageFilters(url)).toBe(true);
    expect(hasMessageFilters(ok({ job: "3" }))).toBe(true);
  });

  it.each([
    [{ kind: "EMAIL" }, "kind"],
    [{ kind: "sms_push" }, "kind"],
    [{ state: "Queued" }, "state"],
    [{ state: "done" }, "state"],
    [{ q: "ab" }, "q"],
    [{ q: "x".repeat(101) }, "q"],
    [{ q: ["abc", "def"] }, "q"],
    [{ job: "abc" }, "job"],
    [{ job: "0" }, "job"],
    [{ job: "-1" }, "job"],
    [{ job: "99999999999" }, "job"],
    [{ device: "has space" }, "device"],
    [{ sort: "state" }, "sort"],
    [{ dir: "up" }, "dir"],
    [{ limit: "0" }, "limit"],
    [{ limit: "201" }, "limit"],
    [{ cursor: "not a cursor!" }, "cursor"],
    [{ cursor: encodeCursor({ sort: "created", dir: "desc", direction: "after", value: 5, id: 5 }) }, "cursor"],
    [{ cursor: encodeCursor({ sort: "updated", dir: "desc", direction: "after", value: "5", id: "5" }) }, "cursor"],
  ])("refuses %j with an issue on %s", (input, field) => {
    const found = issues(input);
    expect(found.map((i) => i.field)).toContain(field);
    for (const i of found) expect(i.message.length).toBeGreaterThan(10);
  });

  it("names the values a filter takes when one is not", () => {
    expect(issues({ kind: "EMAIL" })[0]!.message).toBe('"EMAIL" is not a kind filter; use SMS_PUSH, WAP_PUSH, BOOTSTRAP.');
    expect(issues({ state: "done" })[0]!.message).toContain("queued, sending, retrying");
    expect(issues({ q: "ab" })[0]!.message).toBe("Search with at least 3 characters of a phone number or device UUID.");
  });

  it("takes a cursor only for the direction it was made in", () => {
    const cursor = encodeCursor({ sort: "created", dir: "desc", direction: "after", value: "42", id: "42" });
    expect(ok({ cursor }).cursor).toEqual({ sort: "created", dir: "desc", direction: "after", value: "42", id: "42" });
    expect(issues({ dir: "asc", cursor })).toEqual([{ field: "cursor", message: expect.stringContaining("another sort order") }]);
  });

  it("throws the issues for the JSON API, field and message each", () => {
    try {
      messageListParamsOrThrow({ kind: "x", job: "y" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe("VALIDATION_FAILED");
      expect((e as AppError).details!.fields!.map((i) => i.field).sort()).toEqual(["job", "kind"]);
    }
  });

  it("writes links back with the defaults left out, and parses them to the same state", () => {
    expect(messageListHref()).toBe("/outbox");
    expect(messageListHref(DEFAULT_MESSAGE_LIST, { job: 7 })).toBe("/outbox?job=7");
    const state = ok({ kind: "BOOTSTRAP", state: ["not sent", "failed"], q: "+4915", device: "ABC", dir: "asc", limit: "20" });
    const href = messageListHref(state);
    expect(href).toBe("/outbox?kind=BOOTSTRAP&state=not+sent&state=failed&q=%2B4915&device=ABC&dir=asc&limit=20");
    expect(ok(new URL(href, "http://x").searchParams)).toEqual(state);
    const withCursor = { ...state, cursor: { sort: "created" as const, dir: "asc" as const, direction: "after" as const, value: "9", id: "9" } };
    expect(ok(new URL(messageListHref(withCursor), "http://x").searchParams)).toEqual(withCursor);
    // The header link flips the direction and starts again from the first page.
    expect(messageSortHref(withCursor, "created")).toBe("/outbox?kind=BOOTSTRAP&state=not+sent&state=failed&q=%2B4915&device=ABC&limit=20");
    expect(messageHref("123")).toBe("/outbox/123");
  });
});

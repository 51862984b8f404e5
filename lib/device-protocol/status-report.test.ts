import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { DEVICE_ERROR_ANSWERS } from "@/lib/device-endpoint/errors";
import { loadSampleBody, SAMPLE_PACKAGE_ID } from "./fixtures";
import { parseDeviceTime } from "./formats";
import { messageMeaning, parseStatusReport, returnCodeOf } from "./status-report";
import { repairUnclosedStartTags } from "./xml";

function badRequest(body: string): string {
  try {
    parseStatusReport(body);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    // Every refusal of the document is a 400 on the device endpoint.
    expect(DEVICE_ERROR_ANSWERS[(e as AppError).code].status).toBe(400);
    return (e as AppError).message;
  }
  throw new Error("expected a 400");
}

describe("parseStatusReport", () => {
  it.each([
    ["status-11030", "11030"],
    ["status-11035", "11035"],
  ] as const)("accepts the published sample %s exactly as printed", (name, messageId) => {
    const report = parseStatusReport(loadSampleBody(name));
    expect(report.namespace).toBe("https://www.microsoft.com/DeviceManagement.xsd");
    expect(report.messages).toEqual([
      {
        packageId: SAMPLE_PACKAGE_ID,
        messageId,
        timestamp: "2002-11-25 19:43:31",
        parameters: [{ name: "Return code", value: "0" }],
      },
    ]);
  });

  it("accepts the http:// namespace real devices send, with a declaration and closed tags", () => {
    const report = parseStatusReport(
      `<?xml version="1.0" encoding="utf-8" ?>\n<Status xmlns="http://www.microsoft.com/DeviceManagement.xsd"><StatusMessage packageID="P1" messageID="11031" timestamp="2002-11-25 19:43:31"><Parameter name="Return code">0</Parameter></StatusMessage></Status>`,
    );
    expect(report.messages[0]?.messageId).toBe("11031");
  });

  it("accepts no namespace, no messages, and many messages", () => {
    expect(parseStatusReport("<Status></Status>").messages).toEqual([]);
    expect(parseStatusReport("<Status/>").messages).toEqual([]);
    const many = parseStatusReport(
      `<Status><StatusMessage packageID="A" messageID="11030" timestamp="t1"></StatusMessage><StatusMessage packageID="B" messageID="11032"><Parameter name="Return code">0x80004005</Parameter><Parameter name="Extra"/></StatusMessage></Status>`,
    );
    expect(many.messages.map((m) => [m.packageId, m.messageId, m.timestamp])).toEqual([
      ["A", "11030", "t1"],
      ["B", "11032", null],
    ]);
    expect(many.messages[1]?.parameters).toEqual([
      { name: "Return code", value: "0x80004005" },
      { name: "Extra", value: "" },
    ]);
  });

  it("keeps values as strings (no number coercion, leading zeros kept)", () => {
    const r = parseStatusReport(`<Status><StatusMessage packageID="007" messageID="011030"><Parameter name="Return code">00</Parameter></StatusMessage></Status>`);
    expect(r.messages[0]).toMatchObject({ packageId: "007", messageId: "011030", parameters: [{ value: "00" }] });
  });

  it("matches attribute names case-insensitively", () => {
    const r = parseStatusReport(`<Status><StatusMessage PackageID="A" MessageId="11030" TimeStamp="x"/></Status>`);
    expect(r.messages[0]).toMatchObject({ packageId: "A", messageId: "11030", timestamp: "x" });
  });

  it("rejects what is not a status document with a message saying what is wrong", () => {
    expect(badRequest("")).toMatch(/empty/);
    expect(badRequest("<Status><StatusMessage packageID='A' messageID='1'></Status>")).toMatch(/line 1, column \d+/);
    expect(badRequest("<Status>\n  <Oops>\n</Status>")).toMatch(/line 3/);
    expect(badRequest("<DevicePoll/>")).toMatch(/Expected a <Status> document/);
    expect(badRequest(`<Status xmlns="urn:other"/>`)).toMatch(/Unexpected namespace/);
    expect(badRequest(`<Status><StatusMessage messageID="11030"/></Status>`)).toMatch(/StatusMessage 1 has no packageID/);
    expect(badRequest(`<Status><StatusMessage packageID="A"/></Status>`)).toMatch(/no messageID/);
    expect(badRequest(`<Status><StatusMessage packageID="A" messageID="1"><Parameter>0</Parameter></StatusMessage></Status>`)).toMatch(/Parameter 1 has no name/);
    expect(badRequest(`<!DOCTYPE x [<!ENTITY a "b">]><Status/>`)).toMatch(/DOCTYPE/);
    expect(badRequest("just text")).toMatch(/not well-formed|root/);
  });

  it("answers hostile or odd documents with a 400, never an exception of another kind", () => {
    expect(badRequest(`<Status><__proto__/></Status>`)).toMatch(/refused/);
    expect(badRequest(`<Status>${"<a>".repeat(150)}${"</a>".repeat(150)}</Status>`)).toMatch(/refused|nested/i);
    expect(badRequest(`<Status/><Status/>`)).toMatch(/root|well-formed/);
    expect(badRequest(`<Status>${"<StatusMessage packageID='A' messageID='1'/>".repeat(1001)}</Status>`)).toMatch(/at most 1000/);
    expect(badRequest(`<Status>${"<x>".repeat(5000)}`).length).toBeLessThan(400);
  });

  it("treats messageIDs that are Object property names as unknown", () => {
    const r = parseStatusReport(`<Status><StatusMessage packageID="A" messageID="constructor"/><StatusMessage packageID="A" messageID="__proto__"/></Status>`);
    expect(r.messages.map((m) => messageMeaning(m.messageId))).toEqual(["Unknown message ID constructor", "Unknown message ID __proto__"]);
  });
});

describe("repairUnclosedStartTags", () => {
  it("closes a start tag whose attributes run into the next tag, and touches nothing else", () => {
    expect(repairUnclosedStartTags(`<A x="1"\n  <B/></A>`)).toBe(`<A x="1">\n  <B/></A>`);
    const fine = `<A x="1"><B y='2'/></A>`;
    expect(repairUnclosedStartTags(fine)).toBe(fine);
  });
});

describe("report values", () => {
  it("parses the device timestamp as a wall time and refuses impossible dates", () => {
    expect(parseDeviceTime("2002-11-25 19:43:31")?.toISOString()).toBe("2002-11-25T19:43:31.000Z");
    expect(parseDeviceTime("2002-02-31 00:00:00")).toBeNull();
    expect(parseDeviceTime("11/11/2002 10:40:53 AM")).toBeNull();
    expect(parseDeviceTime(null)).toBeNull();
    expect(parseDeviceTime("0002-01-01 00:00:00")?.getUTCFullYear()).toBe(2);
    expect(parseDeviceTime("0000-01-01 00:00:00")).toBeNull();
  });

  it("names the four documented message IDs and marks others unknown", () => {
    expect(messageMeaning("11031")).toBe("Package download successful");
    expect(messageMeaning("12345")).toBe("Unknown message ID 12345");
  });

  it("finds the Return code parameter", () => {
    expect(returnCodeOf({ packageId: "A", messageId: "1", timestamp: null, parameters: [{ name: "Return code", value: "5" }] })).toBe("5");
    expect(returnCodeOf({ packageId: "A", messageId: "1", timestamp: null, parameters: [] })).toBeNull();
  });
});

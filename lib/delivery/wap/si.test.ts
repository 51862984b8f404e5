import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { decodeSi, encodeSi, siXml, type ServiceIndication } from "./si";
import { bytes, fromHex, toHex } from "@/lib/testing/bytes";
import { wspPush } from "./wsp";

const sample: ServiceIndication = {
  href: "http://example.com/app.apk",
  siId: "si-0001@console.example.com",
  action: "signal-high",
  text: "Install the app",
};

describe("encodeSi", () => {
  it("is byte-identical to what Kannel's PPG compiled for the sample (kannel.md §6)", () => {
    const kannel = bytes(
      0x02, 0x05, 0x6a, 0x00, 0x45, 0xc6, 0x0c, 0x03, "example", 0x00, 0x85, 0x03, "app.apk", 0x00,
      0x11, 0x03, "si-0001@console.example.com", 0x00, 0x08, 0x01, 0x03, "Install the app", 0x00, 0x01, 0x01,
    );
    expect(toHex(encodeSi(sample))).toBe(toHex(kannel));
  });

  it("with the minimal WSP header is the 81 octets that went through sendsms", () => {
    const sent = fromHex(
      "010601ae02056a0045c60c036578616d706c650085036170702e61706b00110373692d3030303140636f6e736f6c652e" +
        "6578616d706c652e636f6d00080103496e7374616c6c2074686520617070000101",
    );
    const pdu = wspPush({ tid: 1, contentType: "application/vnd.wap.sic", body: encodeSi(sample) });
    expect(pdu.length).toBe(81);
    expect(toHex(pdu)).toBe(toHex(sent));
  });

  it("writes created as OPAQUE BCD without trailing zero octets (0A C3 05 20 26 11 21 14)", () => {
    const encoded = toHex(encodeSi({ ...sample, created: new Date("2026-11-21T14:00:00Z") }));
    expect(encoded).toContain("0ac30520261121140");
    expect(encoded).toContain(toHex(bytes(0x0a, 0xc3, 0x05, 0x20, 0x26, 0x11, 0x21, 0x14, 0x08)));
    // Seconds are kept when they are not zero, and si-expires uses 0x10.
    expect(toHex(encodeSi({ ...sample, expires: new Date("2026-11-21T14:30:05.999Z") }))).toContain("10c3072026112114300508");
  });

  it("uses the www. and https prefixes and tokenizes only the first URL part, as Kannel does", () => {
    const hex = toHex(encodeSi({ href: "https://www.example.org/a.com/b", text: "x" }));
    // 0F https://www., then ".com/" (first in Kannel's table) although ".org/" comes first in the URL.
    expect(hex).toContain(toHex(bytes(0x0f, 0x03, "example.org/a", 0x00, 0x85, 0x03, "b", 0x00)));
    expect(toHex(encodeSi({ href: "http://example.com/", text: "x" }))).toContain(toHex(bytes(0x0c, 0x03, "example", 0x00, 0x85, 0x03, 0x00)));
    expect(toHex(encodeSi({ href: "https://host.example/x", text: "x" }))).toContain(toHex(bytes(0x0e, 0x03, "host.example/x", 0x00)));
  });

  it("collapses whitespace in the text like Kannel's compiler and leaves out empty content", () => {
    expect(decodeSi(encodeSi({ ...sample, text: "  Install \n the\tapp " })).text).toBe("Install the app");
    const empty = encodeSi({ href: "http://example.com/", text: "" });
    expect(empty[5]).toBe(0x86); // indication with attributes, without content
    expect(decodeSi(empty).text).toBe("");
  });

  it("refuses a link that is not http(s) and control characters", () => {
    for (const href of ["ftp://example.com/x", "javascript:alert(1)", "http://exa mple.com/", "example.com/app.apk", ""]) {
      expect(() => encodeSi({ href, text: "x" })).toThrow(AppError);
    }
    expect(() => encodeSi({ href: "http://example.com/", text: "a\u0000b" })).toThrow(/control character/);
    expect(() => encodeSi({ href: "http://example.com/", text: "x", siId: " " })).toThrow(/SI id/);
    expect(() => encodeSi({ href: "http://example.com/", text: "x", created: new Date("nope") })).toThrow(/created/);
  });
});

describe("decodeSi", () => {
  it("round-trips https, dates, every action, non-ASCII text and XML special characters", () => {
    const cases: ServiceIndication[] = [
      sample,
      { href: "https://www.example.net/p?q=1&r=<2>", text: "Grüße € 日本 \"quoted\" & <tag>", action: "signal-medium", created: new Date("2026-01-02T03:04:05Z"), expires: new Date("2027-12-31T23:59:59Z") },
      { href: "http://www.example.edu/", text: "x", action: "delete", siId: "a&b" },
      { href: "https://example.com/x", text: "x", action: "signal-none" },
      { href: "http://10.0.0.1:8080/x.org/", text: "x", action: "signal-low" },
    ];
    for (const si of cases) expect(decodeSi(encodeSi(si))).toEqual(si);
  });

  it("refuses other documents and broken bytes", () => {
    expect(() => decodeSi(bytes(0x02, 0x06, 0x6a, 0x00, 0x05))).toThrow(/SI|Malformed/);
    expect(() => decodeSi(encodeSi(sample).subarray(0, 20))).toThrow(/Malformed WBXML/);
  });
});

describe("siXml", () => {
  it("writes the document Kannel's PPG accepted, escaped", () => {
    expect(siXml(sample)).toBe(
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE si PUBLIC "-//WAPFORUM//DTD SI 1.0//EN" "http://www.wapforum.org/DTD/si.dtd">',
        "<si>",
        '  <indication href="http://example.com/app.apk" si-id="si-0001@console.example.com" action="signal-high">Install the app</indication>',
        "</si>",
      ].join("\n"),
    );
    const xml = siXml({ href: "http://example.com/?a=1&b=\"2\"", text: "<b>&</b>", created: new Date("2026-11-21T14:00:00.123Z") });
    expect(xml).toContain('href="http://example.com/?a=1&amp;b=&quot;2&quot;"');
    expect(xml).toContain('created="2026-11-21T14:00:00Z"');
    expect(xml).toContain(">&lt;b&gt;&amp;&lt;/b&gt;</indication>");
  });
});

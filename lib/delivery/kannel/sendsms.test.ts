import { describe, expect, it } from "vitest";
import { encodeSi } from "@/lib/delivery/wap/si";
import { SI_PUSH_UDH, wspPush } from "@/lib/delivery/wap/wsp";
import { AppError } from "@/lib/errors";
import { bytes } from "@/lib/testing/bytes";
import { e164 } from "./recipient";
import { dlrCallbackUrl, parseDlr, parseSendsmsAnswer, sendsmsUrl, textEncoding } from "./sendsms";

const BASE = "http://127.0.0.1:13013/cgi-bin/sendsms?username=tester&password=secret";

/** The parameters as smsbox will read them. */
const paramsOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe("sendsmsUrl", () => {
  it("sends GSM text as UTF-8 with the default 7-bit coding (the request kannel.md §5 made)", () => {
    const url = sendsmsUrl(BASE, { from: "12345", to: "+15551234567", text: "Download your app: http://example.com/app.apk" });
    expect(url).toBe(`${BASE}&from=12345&to=%2B15551234567&text=Download%20your%20app%3A%20http%3A%2F%2Fexample.com%2Fapp.apk&charset=UTF-8`);
    expect(paramsOf(url)).toMatchObject({ username: "tester", to: "+15551234567", text: "Download your app: http://example.com/app.apk" });
  });

  it("switches to UCS-2 (coding=2) only when GSM 03.38 cannot carry the text", () => {
    expect(paramsOf(sendsmsUrl(BASE, { to: "+15551234567", text: "Grüße, 50 € {ok}" })).coding).toBeUndefined();
    const ucs2 = paramsOf(sendsmsUrl(BASE, { to: "+15551234567", text: "Grüße 日本" }));
    expect(ucs2).toMatchObject({ coding: "2", charset: "UTF-8", text: "Grüße 日本" });
  });

  it("sends binary with coding=1 and every octet of udh and body as %XX (the SI fallback route)", () => {
    const payload = wspPush({ contentType: "application/vnd.wap.sic", body: encodeSi({ href: "http://example.com/app.apk", text: "Install the app" }) });
    const url = sendsmsUrl(BASE, { to: "+15551234567", udh: SI_PUSH_UDH, data: payload }, { url: "http://127.0.0.1:18080/dlr?t=abc&status=%d", mask: 31 });
    const query = url.slice(BASE.length);
    expect(query).toMatch(/^&to=%2B15551234567&udh=%06%05%04%0B%84%23%F0&text=%01%06%01%AE%02%05%6A%00/);
    expect(query).toContain("&coding=1&dlr-mask=31&dlr-url=http%3A%2F%2F127.0.0.1%3A18080%2Fdlr%3Ft%3Dabc%26status%3D%25d");
    expect(paramsOf(url)["dlr-url"]).toBe("http://127.0.0.1:18080/dlr?t=abc&status=%d");
  });

  it("normalises the recipient's spaces and dashes and refuses what is not E.164", () => {
    expect(paramsOf(sendsmsUrl(BASE, { to: " +1 555-123 4567 ", text: "x" })).to).toBe("+15551234567");
    for (const to of ["15551234567", "+1555", "+1555123456789012", "+1555abc4567", "", "WAPPUSH=+15551234567"]) {
      expect(() => sendsmsUrl(BASE, { to, text: "x" })).toThrow(AppError);
    }
    expect(() => e164("15551234567")).toThrow(/country code with "\+"/);
  });

  it("refuses line breaks, empty and overlong texts, bad senders, a bad base URL and a bad DLR", () => {
    const to = "+15551234567";
    expect(() => sendsmsUrl(BASE, { to, text: "line 1\nline 2" })).toThrow(/line break/);
    expect(() => sendsmsUrl(BASE, { to, text: "a\rb" })).toThrow(/line break/);
    expect(() => sendsmsUrl(BASE, { to, text: "" })).toThrow(/empty/);
    expect(() => sendsmsUrl(BASE, { to, text: "A".repeat(153 * 10 + 1) })).toThrow(/needs 11 SMS/);
    expect(() => sendsmsUrl(BASE, { to, text: "A".repeat(161) }, undefined, { maxSegments: 1 })).toThrow(/at most 1/);
    expect(() => sendsmsUrl(BASE, { to, udh: SI_PUSH_UDH, data: new Uint8Array(128 * 10 + 1) })).toThrow(/needs 11 SMS/);
    expect(() => sendsmsUrl(BASE, { to, udh: bytes(0x05, 0x05), data: bytes(1) })).toThrow(/UDHL/);
    expect(() => sendsmsUrl(BASE, { from: "Much-too-long-sender", to, text: "x" })).toThrow(/sender/);
    expect(() => sendsmsUrl("ftp://x/cgi-bin/sendsms", { to, text: "x" })).toThrow(/http/);
    expect(() => sendsmsUrl(`${BASE}&to=%2B1555`, { to, text: "x" })).toThrow(/already sets "to"/);
    expect(() => sendsmsUrl(BASE, { to, text: "x" }, { url: "http://x/dlr", mask: 32 })).toThrow(/mask/);
  });
});

describe("textEncoding", () => {
  it("counts septets (escape characters twice) and UCS-2 units like the handset", () => {
    expect(textEncoding("A".repeat(160))).toEqual({ coding: "gsm7", segments: 1 });
    expect(textEncoding("A".repeat(161))).toEqual({ coding: "gsm7", segments: 2 });
    expect(textEncoding("€".repeat(80))).toEqual({ coding: "gsm7", segments: 1 });
    expect(textEncoding("€".repeat(81))).toEqual({ coding: "gsm7", segments: 2 });
    expect(textEncoding("ж".repeat(70))).toEqual({ coding: "ucs2", segments: 1 });
    expect(textEncoding("ж".repeat(71))).toEqual({ coding: "ucs2", segments: 2 });
    expect(textEncoding("ж".repeat(134))).toEqual({ coding: "ucs2", segments: 2 });
  });
});

describe("parseSendsmsAnswer", () => {
  it.each([
    [202, "0: Accepted for delivery", "accepted"],
    [202, "3: Queued for later delivery", "accepted"],
    [200, "Sent.", "accepted"],
    [403, "Authorization failed for sendsms", "rejected"],
    [403, "Not routable. Do not try again.", "rejected"],
    [400, "Missing receiver number, rejected", "rejected"],
    [302, "", "rejected"],
    [408, "", "retry"],
    [429, "", "retry"],
    [500, "Sending failed.", "retry"],
    [503, "Temporal failure, try again later.", "retry"],
    [0, "ECONNREFUSED", "retry"],
  ] as const)("HTTP %i %j is %s", (status, body, outcome) => {
    expect(parseSendsmsAnswer(status, body).outcome).toBe(outcome);
  });

  it("keeps the status and Kannel's words for the admin", () => {
    expect(parseSendsmsAnswer(403, "Authorization failed for sendsms\n").detail).toBe("HTTP 403: Authorization failed for sendsms");
    expect(parseSendsmsAnswer(0, "").detail).toBe("no answer");
  });
});

describe("dlrCallbackUrl and parseDlr", () => {
  it("composes Kannel's escapes after our token and reads the callbacks Kannel made", () => {
    const url = dlrCallbackUrl("http://127.0.0.1:3000/api/delivery/dlr", "b64_url-Token0");
    expect(url).toBe("http://127.0.0.1:3000/api/delivery/dlr?t=b64_url-Token0&status=%d&answer=%A&ts=%T&msgid=%F&smsc=%i");
    expect(dlrCallbackUrl("http://h/dlr?k=1", "x")).toBe("http://h/dlr?k=1&t=x&status=%d&answer=%A&ts=%T&msgid=%F&smsc=%i");

    // What Kannel calls after substituting (kannel.md §5: status 8 with answer "ACK/", then 1).
    const accepted = parseDlr(new URLSearchParams("t=b64_url-Token0&status=8&answer=ACK%2F&ts=1795270348&msgid=5b1d6e4e-1c3a-4f0e-9c1d-2b1f0d8e7a60&smsc=fake1"));
    expect(accepted).toEqual({
      token: "b64_url-Token0",
      status: 8,
      meaning: "smsc-accepted",
      answer: "ACK/",
      smscId: "fake1",
      foreignId: "5b1d6e4e-1c3a-4f0e-9c1d-2b1f0d8e7a60",
      at: new Date(1795270348 * 1000),
    });
    expect(parseDlr(new URLSearchParams("t=x&status=1&answer=&ts=&msgid=&smsc=")).meaning).toBe("delivered");
  });

  it.each([
    [1, "delivered"],
    [2, "failed"],
    [4, "buffered"],
    [8, "smsc-accepted"],
    [16, "smsc-rejected"],
    [3, "unknown"],
    [32, "unknown"],
  ] as const)("status %i means %s", (status, meaning) => {
    expect(parseDlr(new URLSearchParams(`t=x&status=${status}`)).meaning).toBe(meaning);
  });

  it("refuses a base or token Kannel would mangle, and callbacks that are not ours", () => {
    expect(() => dlrCallbackUrl("http://h/dlr?x=%41", "x")).toThrow(/"%"/);
    expect(() => dlrCallbackUrl("http://h/dlr", "a+b/c=")).toThrow(/base64url/);
    expect(() => dlrCallbackUrl("http://h/dlr?status=1", "x")).toThrow(/already sets/);
    expect(() => dlrCallbackUrl("mailto:a@b", "x")).toThrow(/http/);
    expect(() => parseDlr(new URLSearchParams("status=1"))).toThrow(/token/);
    expect(() => parseDlr(new URLSearchParams("t=x&status=%d"))).toThrow(/not a number/);
  });
});

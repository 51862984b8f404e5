import { describe, expect, it } from "vitest";
import { bytes, fromFakeSmscUrlEncoding, toHex } from "@/lib/testing/bytes";
import { concatenatedSegments, CP_PUSH_UDH, decodeWspPush, portUdh, segmentsNeeded, SI_PUSH_UDH, wspPush } from "./wsp";

const MAC = "0123456789ABCDEF0123456789ABCDEF01234567";

describe("wspPush", () => {
  it("writes the minimal SI push header the sendsms route used: 01 06 01 AE", () => {
    expect(toHex(wspPush({ contentType: "application/vnd.wap.sic", body: bytes(0x02) }))).toBe("010601ae02");
  });

  it("writes the CP content type with SEC and MAC exactly as Kannel's sendota (kannel.md §7)", () => {
    const pdu = wspPush({ contentType: "application/vnd.wap.connectivity-wbxml", contentTypeParams: { sec: 1, mac: MAC }, body: bytes(0x03, 0x0b) });
    expect(toHex(pdu)).toBe(toHex(bytes(0x01, 0x06, 0x2f, 0x1f, 0x2d, 0xb6, 0x91, 0x81, 0x92, MAC, 0x00, 0x03, 0x0b)));
  });

  it("uses a one-octet value length when the content type is short, and text for unknown types", () => {
    expect(toHex(wspPush({ tid: 0, contentType: "application/vnd.syncml.dm+wbxml", contentTypeParams: { sec: 0 }, body: bytes() }))).toBe("00060403c29180");
    expect(toHex(wspPush({ contentType: "application/x-test", body: bytes() }))).toBe(toHex(bytes(0x01, 0x06, 0x13, "application/x-test", 0x00)));
  });

  it("writes X-Wap-Application-Id as its well-known code (AF 87 for syncml.dm)", () => {
    const pdu = wspPush({ contentType: "application/vnd.syncml.notification", headers: { applicationId: "x-wap-application:syncml.dm" }, body: bytes() });
    expect(toHex(pdu)).toBe("010603c4af87");
  });

  it("refuses what it cannot encode", () => {
    expect(() => wspPush({ tid: 256, contentType: "application/vnd.wap.sic", body: bytes() })).toThrow(/transaction id/);
    expect(() => wspPush({ contentType: "application/vnd.wap.sic", contentTypeParams: { sec: 4 }, body: bytes() })).toThrow(/SEC/);
    expect(() => wspPush({ contentType: "application/vnd.wap.sic", contentTypeParams: { mac: MAC.toLowerCase() }, body: bytes() })).toThrow(/upper-case/);
  });
});

describe("decodeWspPush", () => {
  it("reads what Kannel's PPG sent to the fake SMSC (kannel.md §4), headers and all", () => {
    const line = "%01%06%05%AE%8D%CD%C3%93%02%05j%00E%C6%0C%03example%00%85%03app.apk%00%11%03si-0001%40console.example.com%00%08%01%03Install+the+app%00%01%01";
    const pdu = decodeWspPush(fromFakeSmscUrlEncoding(line));
    expect(pdu).toMatchObject({
      tid: 1,
      pduType: 0x06,
      contentType: "application/vnd.wap.sic",
      params: {},
      headers: { "Content-Length": 77, "Encoding-Version": "1.3" },
    });
    expect(pdu.body.length).toBe(77);
  });

  it("reads the CP push with its SEC and MAC, and the copied curl headers", () => {
    const pdu = decodeWspPush(wspPush({ tid: 7, contentType: "application/vnd.wap.connectivity-wbxml", contentTypeParams: { sec: 2, mac: MAC }, body: bytes(0xaa) }));
    expect(pdu).toEqual({ tid: 7, pduType: 6, contentType: "application/vnd.wap.connectivity-wbxml", params: { sec: 2, mac: MAC }, headers: {}, body: bytes(0xaa) });
    const curl = decodeWspPush(bytes(0x00, 0x06, 0x12, 0xae, 0xa9, "curl/7.88.1", 0x00, 0x80, 0x80, 0xaf, 0x87));
    expect(curl.headers).toEqual({ "User-Agent": "curl/7.88.1", Accept: "*/*", "X-Wap-Application-Id": "x-wap-application:syncml.dm" });
  });

  it("refuses other PDUs and truncated headers", () => {
    expect(() => decodeWspPush(bytes(0x01, 0x04, 0x00))).toThrow(/not a push/);
    expect(() => decodeWspPush(bytes(0x01, 0x06, 0x05, 0xae))).toThrow(/past the end/);
  });
});

describe("push UDH and segments", () => {
  it("addresses the push port: SI 2948 ← 9200, CP 2948 ← 2948", () => {
    expect(toHex(SI_PUSH_UDH)).toBe("0605040b8423f0");
    expect(toHex(CP_PUSH_UDH)).toBe("0605040b840b84");
    expect(() => portUdh(65536, 1)).toThrow(RangeError);
  });

  it("estimates segments as Kannel splits: 140 octets, then UDH + 5-octet concat IE per part", () => {
    expect(segmentsNeeded(7, 133)).toBe(1);
    expect(segmentsNeeded(7, 134)).toBe(2); // 140 - 12 = 128 per part
    expect(segmentsNeeded(7, 256)).toBe(2);
    expect(segmentsNeeded(7, 257)).toBe(3);
    expect(segmentsNeeded(0, 140)).toBe(1);
    expect(segmentsNeeded(0, 141)).toBe(2); // 134 per part without a UDH of our own
  });

  it("splits with the concatenation IE appended to the port UDH (0B 05 04 0B 84 23 F0 00 03 ref n i)", () => {
    const body = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const parts = concatenatedSegments(SI_PUSH_UDH, body, 0x42);
    expect(parts.map((p) => toHex(p.udh))).toEqual(["0b05040b8423f000034203" + "01", "0b05040b8423f000034203" + "02", "0b05040b8423f000034203" + "03"]);
    expect(parts.map((p) => p.data.length)).toEqual([128, 128, 44]);
    expect(Buffer.concat(parts.map((p) => p.data))).toEqual(Buffer.from(body));
    for (const p of parts) expect(p.udh.length + p.data.length).toBeLessThanOrEqual(140);
    expect(concatenatedSegments(SI_PUSH_UDH, body.subarray(0, 10), 1)).toHaveLength(1);
  });
});

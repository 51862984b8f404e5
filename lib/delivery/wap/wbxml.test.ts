import { describe, expect, it } from "vitest";
import { bytes, toHex } from "@/lib/testing/bytes";
import { decodeMbUint32, encodeMbUint32, readWbxml, WbxmlWriter, type WbxmlLanguage } from "./wbxml";

const language: WbxmlLanguage = {
  name: "test",
  publicId: 0x01,
  tags: [
    { name: "a", page: 0, code: 0x05 },
    { name: "b", page: 0, code: 0x06 },
    { name: "c", page: 1, code: 0x05 },
  ],
  attributeStarts: [
    { name: "x", page: 0, code: 0x05 },
    { name: "x", prefix: "http://", page: 0, code: 0x06 },
    { name: "y", page: 1, code: 0x05 },
  ],
  attributeValues: [
    { value: ".com", page: 0, code: 0x85 },
    { value: "ONE", page: 1, code: 0x85 },
  ],
};

describe("mb_u_int32", () => {
  it("writes 7 bits per octet, most significant first, and reads it back", () => {
    expect(encodeMbUint32(0)).toEqual([0x00]);
    expect(encodeMbUint32(0x7f)).toEqual([0x7f]);
    expect(encodeMbUint32(0x80)).toEqual([0x81, 0x00]);
    expect(encodeMbUint32(0xa0)).toEqual([0x81, 0x20]); // the WBXML spec's example
    for (const n of [0, 1, 127, 128, 16383, 16384, 0xffffffff]) expect(decodeMbUint32(Uint8Array.from(encodeMbUint32(n)), 0)).toEqual({ value: n, next: encodeMbUint32(n).length });
    expect(() => decodeMbUint32(bytes(0x81, 0x81, 0x81, 0x81, 0x81, 0x01), 0)).toThrow(/longer than 5/);
  });
});

describe("WbxmlWriter and readWbxml", () => {
  it("switch tag and attribute code pages independently, only when the page changes", () => {
    const w = new WbxmlWriter({ version: 0x03, publicId: 0x01 });
    w.startElement({ page: 0, code: 0x05 }, { attributes: true, content: true });
    w.attributeStart({ page: 1, code: 0x05 }).attributeValue({ page: 1, code: 0x85 });
    w.attributeStart({ page: 0, code: 0x06 }).inlineString("example").attributeValue({ page: 0, code: 0x85 });
    w.end();
    w.startElement({ page: 1, code: 0x05 }, { attributes: false, content: true }).inlineString("ü").end();
    w.startElement({ page: 0, code: 0x06 }, { attributes: false, content: false });
    w.end();
    const encoded = w.bytes();
    expect(toHex(encoded)).toBe(
      toHex(bytes(0x03, 0x01, 0x6a, 0x00, 0xc5, 0x00, 0x01, 0x05, 0x85, 0x00, 0x00, 0x06, 0x03, "example", 0x00, 0x85, 0x01, 0x00, 0x01, 0x45, 0x03, 0xc3, 0xbc, 0x00, 0x01, 0x00, 0x00, 0x06, 0x01)),
    );
    expect(readWbxml(encoded, language)).toEqual({
      version: 3,
      publicId: 1,
      charset: 106,
      root: {
        tag: "a",
        attributes: { y: "ONE", x: "http://example.com" },
        text: "",
        children: [
          { tag: "c", attributes: {}, children: [], text: "ü" },
          { tag: "b", attributes: {}, children: [], text: "" },
        ],
      },
    });
  });

  it("reads string-table references, literal names, entities and OPAQUE", () => {
    // string table: "zz\0tag\0"; root <a> with a LITERAL attribute "tag" = STR_T 0, content ENTITY 0x263A and OPAQUE.
    const doc = bytes(0x03, 0x01, 0x6a, 0x07, "zz", 0x00, "tag", 0x00, 0xc5, 0x04, 0x03, 0x83, 0x00, 0x01, 0x02, 0xcc, 0x3a, 0xc3, 0x02, 0xab, 0xcd, 0x01);
    const read = readWbxml(doc, language);
    expect(read.root.attributes).toEqual({ tag: "zz" });
    expect(read.root.text).toBe("\u263aabcd");
    expect(readWbxml(doc, language, { opaque: (d) => `[${d.length}]` }).root.text).toBe("\u263a[2]");
  });

  it("refuses what it cannot read, with the reason", () => {
    expect(() => readWbxml(bytes(0x03, 0x01, 0x6a, 0x00, 0x07), language)).toThrow(/unknown tag 0x07/);
    expect(() => readWbxml(bytes(0x03, 0x01, 0x6a, 0x00, 0x45, 0x03, "x"), language)).toThrow(/no terminating NUL/);
    expect(() => readWbxml(bytes(0x03, 0x01, 0x6a, 0x00, 0x45, 0x01, 0x01), language)).toThrow(/after the root/);
    expect(() => readWbxml(bytes(0x03, 0x01, 0x11, 0x00, 0x05), language)).toThrow(/charset 17/);
    expect(() => readWbxml(bytes(0x03, 0x01, 0x6a, 0x00, 0x45, 0x80, 0x01), language)).toThrow(/extension token/);
    expect(() => new WbxmlWriter({ version: 3, publicId: 1 }).inlineString("a\u0000")).toThrow(/NUL/);
  });
});

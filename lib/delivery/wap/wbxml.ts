/**
 * WBXML (WAP-192-WBXML-20010725, version 1.3), the part push content needs: tag and attribute
 * tokens per code page, inline strings, OPAQUE, SWITCH_PAGE and END. The writer is driven token
 * by token by each language's encoder (si.ts, provisioning.ts), because each has rules a
 * generic tokenizer would get wrong (SI tokenizes one URL part only, as Kannel does; CP matches
 * whole values). The reader is generic over a language's tables and also accepts what other
 * encoders emit: STR_T and LITERAL names from the string table, ENTITY, PI (skipped).
 * Pure: bytes in, bytes out.
 */
import { AppError } from "@/lib/errors";

/** Global tokens (WBXML §7.1); the same on every code page. */
export const WBXML = {
  SWITCH_PAGE: 0x00,
  END: 0x01,
  ENTITY: 0x02,
  STR_I: 0x03,
  LITERAL: 0x04,
  PI: 0x43,
  LITERAL_C: 0x44,
  STR_T: 0x83,
  LITERAL_A: 0x84,
  OPAQUE: 0xc3,
  LITERAL_AC: 0xc4,
} as const;

/** IANA MIBenum of UTF-8, the only charset we write. */
export const CHARSET_UTF8 = 106;

const HAS_ATTRIBUTES = 0x80;
const HAS_CONTENT = 0x40;
const EXTENSION_TOKENS = new Set([0x40, 0x41, 0x42, 0x80, 0x81, 0x82, 0xc0, 0xc1, 0xc2]);

export type TagEntry = { name: string; page: number; code: number };
/** An attribute start token; `prefix` is the start of the value it stands for ("http://"). */
export type AttributeStartEntry = { name: string; prefix?: string; page: number; code: number };
/** An attribute value token (>= 0x85): a part of a value (".com/", "APPSRV"). */
export type AttributeValueEntry = { value: string; page: number; code: number };

/** One document type's tokens: what both its encoder and the generic reader look up. */
export type WbxmlLanguage = {
  name: string;
  publicId: number;
  tags: readonly TagEntry[];
  attributeStarts: readonly AttributeStartEntry[];
  attributeValues: readonly AttributeValueEntry[];
};

export type WbxmlToken = { page: number; code: number };

export type WbxmlElement = {
  tag: string;
  attributes: Record<string, string>;
  children: WbxmlElement[];
  /** The element's own character content (inline strings, string-table references, entities), concatenated. */
  text: string;
};

export type WbxmlDocument = { version: number; publicId: number | string; charset: number; root: WbxmlElement };

/** WBXML's mb_u_int32 (also WSP's uintvar): 7 bits per octet, most significant first. */
export function encodeMbUint32(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`Not a 32-bit unsigned integer: ${value}`);
  const out = [value & 0x7f];
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) out.unshift((rest & 0x7f) | 0x80);
  return out;
}

/** Reads an mb_u_int32 at `pos`; at most 5 octets, as the spec allows. */
export function decodeMbUint32(bytes: Uint8Array, pos: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = bytes[pos + i];
    if (b === undefined) throw malformed("an mb_u_int32 runs past the end");
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  throw malformed("an mb_u_int32 is longer than 5 octets");
}

function malformed(what: string): AppError {
  return new AppError("INVALID_MESSAGE", `Malformed WBXML: ${what}.`);
}

const utf8 = new TextEncoder();

/**
 * Writes one document. Tag and attribute code pages are tracked apart (WBXML §5.8.1: a
 * SWITCH_PAGE changes the page of the state it appears in), so a token costs a switch only
 * when its page differs from the current one of its kind.
 */
export class WbxmlWriter {
  private readonly out: number[] = [];
  private tagPage = 0;
  private attributePage = 0;

  constructor(header: { version: number; publicId: number; charset?: number }) {
    this.out.push(header.version, ...encodeMbUint32(header.publicId), ...encodeMbUint32(header.charset ?? CHARSET_UTF8), 0x00);
  }

  startElement(tag: WbxmlToken, has: { attributes: boolean; content: boolean }): this {
    if (tag.code < 0x05 || tag.code > 0x3f) throw new RangeError(`Tag code ${tag.code} is outside 0x05–0x3F`);
    if (tag.page !== this.tagPage) {
      this.out.push(WBXML.SWITCH_PAGE, tag.page);
      this.tagPage = tag.page;
    }
    this.out.push(tag.code | (has.attributes ? HAS_ATTRIBUTES : 0) | (has.content ? HAS_CONTENT : 0));
    return this;
  }

  attributeStart(token: WbxmlToken): this {
    if (token.code < 0x05 || token.code > 0x7f) throw new RangeError(`Attribute start code ${token.code} is outside 0x05–0x7F`);
    return this.attributeToken(token);
  }

  attributeValue(token: WbxmlToken): this {
    if (token.code < 0x85) throw new RangeError(`Attribute value code ${token.code} is below 0x85`);
    return this.attributeToken(token);
  }

  private attributeToken(token: WbxmlToken): this {
    if (token.page !== this.attributePage) {
      this.out.push(WBXML.SWITCH_PAGE, token.page);
      this.attributePage = token.page;
    }
    this.out.push(token.code);
    return this;
  }

  /** STR_I: NUL-terminated, so a NUL inside cannot be written. */
  inlineString(text: string): this {
    if (text.includes("\u0000")) throw new AppError("VALIDATION_FAILED", "Text for WBXML may not contain a NUL character.");
    this.out.push(WBXML.STR_I, ...utf8.encode(text), 0x00);
    return this;
  }

  opaque(data: Uint8Array): this {
    this.out.push(WBXML.OPAQUE, ...encodeMbUint32(data.length), ...data);
    return this;
  }

  end(): this {
    this.out.push(WBXML.END);
    return this;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** The token for a tag, preferring `page` when the name exists on several (CP's characteristic, parm). */
export function tagToken(language: WbxmlLanguage, name: string, page = 0): WbxmlToken {
  const found = preferPage(language.tags.filter((t) => t.name === name), page);
  if (!found) throw new RangeError(`${language.name} has no tag <${name}>`);
  return found;
}

function preferPage<T extends WbxmlToken>(candidates: T[], page: number): T | undefined {
  return candidates.find((c) => c.page === page) ?? candidates[0];
}

/** The attribute start token for exactly `name` with `prefix` (undefined: the bare name). */
export function attributeStartToken(language: WbxmlLanguage, name: string, prefix: string | undefined, page = 0): WbxmlToken | undefined {
  return preferPage(language.attributeStarts.filter((a) => a.name === name && a.prefix === prefix), page);
}

/** The value token for exactly `value`, if the language has one. */
export function attributeValueToken(language: WbxmlLanguage, value: string, page = 0): WbxmlToken | undefined {
  return preferPage(language.attributeValues.filter((v) => v.value === value), page);
}

export type ReadOptions = {
  /**
   * How an OPAQUE turns into text: SI dates are BCD, for example. Without it, OPAQUE data
   * reads as lower-case hex.
   */
  opaque?: (data: Uint8Array, where: { tag: string; attribute?: string }) => string;
};

type Lookup = {
  tags: Map<string, string>;
  starts: Map<string, { name: string; prefix: string }>;
  values: Map<string, string>;
};

const lookups = new WeakMap<WbxmlLanguage, Lookup>();

function lookupOf(language: WbxmlLanguage): Lookup {
  let lookup = lookups.get(language);
  if (!lookup) {
    lookup = {
      tags: new Map(language.tags.map((t) => [`${t.page}:${t.code}`, t.name])),
      starts: new Map(language.attributeStarts.map((a) => [`${a.page}:${a.code}`, { name: a.name, prefix: a.prefix ?? "" }])),
      values: new Map(language.attributeValues.map((v) => [`${v.page}:${v.code}`, v.value])),
    };
    lookups.set(language, lookup);
  }
  return lookup;
}

/** Reads a whole document with `language`'s tables. Throws INVALID_MESSAGE on anything it cannot read. */
export function readWbxml(bytes: Uint8Array, language: WbxmlLanguage, options: ReadOptions = {}): WbxmlDocument {
  return new Reader(bytes, lookupOf(language), options).document();
}

class Reader {
  private pos = 0;
  private tagPage = 0;
  private attributePage = 0;
  private strings: Uint8Array = new Uint8Array(0);
  private decode: (data: Uint8Array) => string = (d) => new TextDecoder("utf-8").decode(d);

  constructor(
    private readonly bytes: Uint8Array,
    private readonly lookup: Lookup,
    private readonly options: ReadOptions,
  ) {}

  document(): WbxmlDocument {
    const version = this.byte();
    // Version 1.0 (0x00) has no charset field; nothing we meet writes it.
    if (version < 0x01 || version > 0x03) throw malformed(`version 0x${hex(version)} is not 1.1–1.3`);
    let publicId: number | string = this.mb();
    let publicIdIndex: number | null = null;
    if (publicId === 0) publicIdIndex = this.mb();
    const charset = this.mb();
    this.decode = decoderFor(charset);
    const tableLength = this.mb();
    this.strings = this.take(tableLength);
    if (publicIdIndex !== null) publicId = this.tableString(publicIdIndex);
    this.skipPis();
    const root = this.element();
    this.skipPis();
    if (this.pos !== this.bytes.length) throw malformed(`${this.bytes.length - this.pos} octets after the root element`);
    return { version, publicId, charset, root };
  }

  private element(): WbxmlElement {
    let b = this.byte();
    while (b === WBXML.SWITCH_PAGE) {
      this.tagPage = this.byte();
      b = this.byte();
    }
    const id = b & 0x3f;
    const tag = id === WBXML.LITERAL ? this.tableString(this.mb()) : this.name(this.lookup.tags, this.tagPage, id, "tag");
    const element: WbxmlElement = { tag, attributes: {}, children: [], text: "" };
    if (b & HAS_ATTRIBUTES) this.attributes(element);
    if (b & HAS_CONTENT) this.content(element);
    return element;
  }

  private attributes(element: WbxmlElement): void {
    let current: string | null = null;
    for (;;) {
      const b = this.byte();
      if (b === WBXML.END) return;
      if (b === WBXML.SWITCH_PAGE) {
        this.attributePage = this.byte();
        continue;
      }
      if (b === WBXML.LITERAL) {
        current = this.tableString(this.mb());
        element.attributes[current] = "";
        continue;
      }
      if (b < 0x80 && !this.isValuePart(b)) {
        const start = this.lookup.starts.get(`${this.attributePage}:${b}`);
        if (!start) throw malformed(`unknown attribute start 0x${hex(b)} on page ${this.attributePage} of <${element.tag}>`);
        current = start.name;
        element.attributes[current] = start.prefix;
        continue;
      }
      if (current === null) throw malformed(`an attribute value before any attribute of <${element.tag}>`);
      element.attributes[current] += this.valuePart(b, element.tag, current);
    }
  }

  private isValuePart(b: number): boolean {
    return b === WBXML.STR_I || b === WBXML.ENTITY || EXTENSION_TOKENS.has(b);
  }

  private valuePart(b: number, tag: string, attribute: string): string {
    switch (b) {
      case WBXML.STR_I:
        return this.inline();
      case WBXML.STR_T:
        return this.tableString(this.mb());
      case WBXML.ENTITY:
        return String.fromCodePoint(this.mb());
      case WBXML.OPAQUE:
        return this.opaque({ tag, attribute });
    }
    if (EXTENSION_TOKENS.has(b)) throw malformed(`extension token 0x${hex(b)} is not supported`);
    const value = this.lookup.values.get(`${this.attributePage}:${b}`);
    if (value === undefined) throw malformed(`unknown attribute value 0x${hex(b)} on page ${this.attributePage} of <${tag}>`);
    return value;
  }

  private content(element: WbxmlElement): void {
    for (;;) {
      const b = this.peek();
      switch (b) {
        case WBXML.END:
          this.pos++;
          return;
        case WBXML.STR_I:
          this.pos++;
          element.text += this.inline();
          continue;
        case WBXML.STR_T:
          this.pos++;
          element.text += this.tableString(this.mb());
          continue;
        case WBXML.ENTITY:
          this.pos++;
          element.text += String.fromCodePoint(this.mb());
          continue;
        case WBXML.OPAQUE:
          this.pos++;
          element.text += this.opaque({ tag: element.tag });
          continue;
        case WBXML.PI:
          this.skipPis();
          continue;
      }
      if (EXTENSION_TOKENS.has(b)) throw malformed(`extension token 0x${hex(b)} is not supported`);
      element.children.push(this.element());
    }
  }

  /** A processing instruction is an attribute list without an element; nothing we read uses one. */
  private skipPis(): void {
    while (this.pos < this.bytes.length && this.bytes[this.pos] === WBXML.PI) {
      this.pos++;
      this.attributes({ tag: "?pi", attributes: {}, children: [], text: "" });
    }
  }

  private name(map: Map<string, string>, page: number, code: number, kind: string): string {
    const name = map.get(`${page}:${code}`);
    if (name === undefined) throw malformed(`unknown ${kind} 0x${hex(code)} on page ${page}`);
    return name;
  }

  private inline(): string {
    const end = this.bytes.indexOf(0x00, this.pos);
    if (end < 0) throw malformed("an inline string has no terminating NUL");
    const text = this.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }

  private tableString(offset: number): string {
    if (offset >= this.strings.length) throw malformed(`string table offset ${offset} is outside the table`);
    const end = this.strings.indexOf(0x00, offset);
    return this.decode(this.strings.subarray(offset, end < 0 ? this.strings.length : end));
  }

  private opaque(where: { tag: string; attribute?: string }): string {
    const data = this.take(this.mb());
    return this.options.opaque ? this.options.opaque(data, where) : Array.from(data, hex).join("");
  }

  private take(length: number): Uint8Array {
    if (this.pos + length > this.bytes.length) throw malformed("data runs past the end");
    const data = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return data;
  }

  private mb(): number {
    const { value, next } = decodeMbUint32(this.bytes, this.pos);
    this.pos = next;
    return value;
  }

  private peek(): number {
    const b = this.bytes[this.pos];
    if (b === undefined) throw malformed("the document ends inside an element");
    return b;
  }

  private byte(): number {
    const b = this.peek();
    this.pos++;
    return b;
  }
}

function decoderFor(charset: number): (data: Uint8Array) => string {
  switch (charset) {
    case CHARSET_UTF8:
    case 0: // "unknown": the spec leaves it to the application; push content is UTF-8 in practice
    case 3: {
      // US-ASCII is a subset of UTF-8
      const decoder = new TextDecoder("utf-8", { fatal: true });
      return (data) => {
        try {
          return decoder.decode(data);
        } catch {
          throw malformed("a string is not valid UTF-8");
        }
      };
    }
    case 4: {
      const decoder = new TextDecoder("latin1");
      return (data) => decoder.decode(data);
    }
    default:
      throw malformed(`charset ${charset} is not supported (UTF-8, US-ASCII and ISO-8859-1 are)`);
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}

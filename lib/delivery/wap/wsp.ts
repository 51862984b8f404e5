/**
 * The WSP connectionless Push PDU (WAP-230-WSP-20010705-a §8.2.4.1) that carries SI and CP
 * content in an SMS, and the SMS user data header that addresses the device's push port
 * (3GPP TS 23.040 §9.2.3.24.4). Only what push needs: well-known content types with the SEC
 * and MAC parameters of OMA-WAP-ProvBoot, a few push headers, and a reader for all of it. The
 * encodings: short-integer = 0x80 | n; Value-length = one octet 0–30, or 0x1F + uintvar; text
 * NUL-terminated. Pure.
 */
import { AppError } from "@/lib/errors";
import { decodeMbUint32, encodeMbUint32 } from "./wbxml";

export const WSP_PDU = { PUSH: 0x06, CONFIRMED_PUSH: 0x07 } as const;

/** WSP assigned content type numbers (WAP-230 Table 40 and the OMNA additions) that push uses. */
export const WSP_CONTENT_TYPES: Readonly<Record<string, number>> = {
  "*/*": 0x00,
  "text/plain": 0x03,
  "application/vnd.wap.wbxml": 0x29,
  "text/vnd.wap.si": 0x2d,
  "application/vnd.wap.sic": 0x2e,
  "text/vnd.wap.sl": 0x2f,
  "application/vnd.wap.slc": 0x30,
  "application/vnd.wap.multipart.related": 0x33,
  "text/vnd.wap.connectivity-xml": 0x35,
  "application/vnd.wap.connectivity-wbxml": 0x36,
  "application/vnd.syncml.dm+wbxml": 0x42,
  "application/vnd.syncml.dm+xml": 0x43,
  "application/vnd.syncml.notification": 0x44,
};

/** OMNA push application ids (X-Wap-Application-Id), the registered well-known values. */
export const WAP_APPLICATION_IDS: Readonly<Record<string, number>> = {
  "x-wap-application:*": 0x00,
  "x-wap-application:push.sia": 0x01,
  "x-wap-application:wml.ua": 0x02,
  "x-wap-application:wta.ua": 0x03,
  "x-wap-application:mms.ua": 0x04,
  "x-wap-application:push.syncml": 0x05,
  "x-wap-application:loc.ua": 0x06,
  "x-wap-application:syncml.dm": 0x07,
  "x-wap-application:drm.ua": 0x08,
  "x-wap-application:emn.ua": 0x09,
  "x-wap-application:wv.ua": 0x0a,
};

/** Well-known header field codes (WAP-230 Table 39) we write or expect to read in a push. */
const HEADER_NAMES: Readonly<Record<number, string>> = {
  0x00: "Accept",
  0x0d: "Content-Length",
  0x12: "Date",
  0x14: "Expires",
  0x29: "User-Agent",
  0x2f: "X-Wap-Application-Id",
  0x30: "X-Wap-Content-URI",
  0x31: "X-Wap-Initiator-URI",
  0x34: "Push-Flag",
  0x43: "Encoding-Version",
};

/** Well-known parameter codes: SEC and MAC were added for provisioning (WSP 1.4 Table 38). */
const PARAM_SEC = 0x11;
const PARAM_MAC = 0x12;
const PARAM_NAMES: Readonly<Record<number, string>> = { 0x01: "charset", 0x03: "type", [PARAM_SEC]: "sec", [PARAM_MAC]: "mac" };

export type WspContentTypeParams = {
  /** The SEC method: 0 NETWPIN, 1 USERPIN, 2 USERNETWPIN, 3 USERPINMAC. */
  sec?: number;
  /** The MAC as 40 upper-case hex digits. */
  mac?: string;
};

export type WspPushHeaders = {
  /** X-Wap-Application-Id: a registered URN (written as its code) or a code. */
  applicationId?: string | number;
  /** X-Wap-Initiator-URI. */
  initiatorUri?: string;
};

export type WspPushInput = {
  /** Transaction id, one octet; Kannel counts 0, 1, 2 … per push, the sendsms sample uses 1. */
  tid?: number;
  contentType: string;
  contentTypeParams?: WspContentTypeParams;
  headers?: WspPushHeaders;
  body: Uint8Array;
};

export type DecodedWspPush = {
  tid: number;
  pduType: number;
  /** The content type's name when it is a known well-known code, else the code or the text as sent. */
  contentType: string | number;
  params: Record<string, string | number>;
  headers: Record<string, string | number>;
  body: Uint8Array;
};

/** A connectionless Push PDU: TID, PDU type, header length, content type, headers, body. */
export function wspPush(input: WspPushInput): Uint8Array {
  const tid = input.tid ?? 1;
  if (!Number.isInteger(tid) || tid < 0 || tid > 255) throw invalid("tid", "The WSP transaction id must be 0–255.");
  const headers = [...contentTypeValue(input.contentType, input.contentTypeParams ?? {}), ...pushHeaders(input.headers ?? {})];
  return Uint8Array.from([tid, WSP_PDU.PUSH, ...encodeMbUint32(headers.length), ...headers, ...input.body]);
}

function contentTypeValue(contentType: string, params: WspContentTypeParams): number[] {
  const code = WSP_CONTENT_TYPES[contentType];
  const media = code !== undefined ? shortInteger(code) : textString(contentType, "contentType");
  const encodedParams: number[] = [];
  if (params.sec !== undefined) {
    if (!Number.isInteger(params.sec) || params.sec < 0 || params.sec > 3) throw invalid("sec", "SEC must be 0–3 (NETWPIN, USERPIN, USERNETWPIN, USERPINMAC).");
    encodedParams.push(...shortInteger(PARAM_SEC), ...shortInteger(params.sec));
  }
  if (params.mac !== undefined) {
    if (!/^[0-9A-F]{40}$/.test(params.mac)) throw invalid("mac", "MAC must be 40 upper-case hex digits (HMAC-SHA1).");
    encodedParams.push(...shortInteger(PARAM_MAC), ...textString(params.mac, "mac"));
  }
  // Constrained-media when there is nothing to add; Content-general-form otherwise (§8.4.2.24).
  if (encodedParams.length === 0) return media;
  return [...valueLength(media.length + encodedParams.length), ...media, ...encodedParams];
}

function pushHeaders(headers: WspPushHeaders): number[] {
  const out: number[] = [];
  if (headers.applicationId !== undefined) {
    const id = typeof headers.applicationId === "number" ? headers.applicationId : WAP_APPLICATION_IDS[headers.applicationId];
    out.push(...shortInteger(0x2f), ...(id !== undefined ? integerValue(id) : textString(String(headers.applicationId), "applicationId")));
  }
  if (headers.initiatorUri !== undefined) out.push(...shortInteger(0x31), ...textString(headers.initiatorUri, "initiatorUri"));
  return out;
}

function shortInteger(n: number): number[] {
  return [0x80 | n];
}

/** Integer-value: a short-integer when it fits, else a Long-integer (length, big-endian octets). */
function integerValue(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`Not a 32-bit unsigned integer: ${n}`);
  if (n < 0x80) return shortInteger(n);
  const octets: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
  return [octets.length, ...octets];
}

function valueLength(n: number): number[] {
  return n <= 30 ? [n] : [0x1f, ...encodeMbUint32(n)];
}

/** Text-string: ASCII here (header values are), with the Quote (0x7F) rule never needed. */
function textString(text: string, field: string): number[] {
  if (!/^[\x20-\x7e]*$/.test(text)) throw invalid(field, `The WSP ${field} must be printable ASCII.`);
  return [...Array.from(text, (c) => c.charCodeAt(0)), 0x00];
}

function invalid(field: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", message, { fields: [{ field, message }] });
}

/** Reads a Push or ConfirmedPush PDU (tests, the development outbox). */
export function decodeWspPush(bytes: Uint8Array): DecodedWspPush {
  const r = new WspReader(bytes);
  const tid = r.byte();
  const pduType = r.byte();
  if (pduType !== WSP_PDU.PUSH && pduType !== WSP_PDU.CONFIRMED_PUSH) throw malformed(`PDU type 0x${hex(pduType)} is not a push`);
  const headersLength = r.uintvar();
  const headersEnd = r.pos + headersLength;
  if (headersEnd > bytes.length) throw malformed("the headers run past the end");
  const { contentType, params } = r.contentType();
  const headers: Record<string, string | number> = {};
  while (r.pos < headersEnd) {
    const [name, value] = r.header();
    headers[name] = value;
  }
  if (r.pos !== headersEnd) throw malformed("the last header runs past the header length");
  return { tid, pduType, contentType, params, headers, body: bytes.slice(headersEnd) };
}

const CONTENT_TYPE_NAMES = new Map(Object.entries(WSP_CONTENT_TYPES).map(([name, code]) => [code, name]));
const APPLICATION_ID_NAMES = new Map(Object.entries(WAP_APPLICATION_IDS).map(([name, code]) => [code, name]));

class WspReader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    const b = this.bytes[this.pos];
    if (b === undefined) throw malformed("the PDU ends early");
    this.pos++;
    return b;
  }

  peek(): number {
    const b = this.bytes[this.pos];
    if (b === undefined) throw malformed("the PDU ends early");
    return b;
  }

  uintvar(): number {
    const { value, next } = decodeMbUint32(this.bytes, this.pos);
    this.pos = next;
    return value;
  }

  text(): string {
    if (this.peek() === 0x7f) this.pos++; // Quote: the text starts with an octet >= 128
    const end = this.bytes.indexOf(0x00, this.pos);
    if (end < 0) throw malformed("a text value has no terminating NUL");
    const text = new TextDecoder("latin1").decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text.startsWith('"') ? text.slice(1) : text; // Quoted-string keeps only its opening quote
  }

  /** Integer-value: short-integer, or Long-integer of 1–4 octets (we accept up to 6). */
  integer(): number {
    const b = this.byte();
    if (b & 0x80) return b & 0x7f;
    if (b < 1 || b > 6) throw malformed(`0x${hex(b)} is not an integer value`);
    let n = 0;
    for (let i = 0; i < b; i++) n = n * 256 + this.byte();
    return n;
  }

  /** Value-length: the length of a general-form value that follows. */
  valueLength(): number {
    const b = this.byte();
    if (b <= 30) return b;
    if (b === 0x1f) return this.uintvar();
    throw malformed(`0x${hex(b)} is not a value length`);
  }

  contentType(): { contentType: string | number; params: Record<string, string | number> } {
    const b = this.peek();
    if (b & 0x80) return { contentType: this.media(this.integer()), params: {} };
    if (b >= 0x20 || b === 0x00) return { contentType: this.text(), params: {} };
    const length = this.valueLength();
    const end = this.pos + length;
    const m = this.peek();
    const contentType = m >= 0x20 && m < 0x80 ? this.text() : this.media(this.integer());
    const params: Record<string, string | number> = {};
    while (this.pos < end) {
      const [name, value] = this.parameter();
      params[name] = value;
    }
    if (this.pos !== end) throw malformed("a content-type parameter runs past its value length");
    return { contentType, params };
  }

  private media(code: number): string | number {
    return CONTENT_TYPE_NAMES.get(code) ?? code;
  }

  /** Typed-parameter (well-known code, typed value) or Untyped-parameter (token text, value). */
  private parameter(): [string, string | number] {
    const b = this.peek();
    if (b >= 0x20 && !(b & 0x80)) {
      const name = this.text();
      return [name, this.parameterValue()];
    }
    const code = this.integer();
    const name = PARAM_NAMES[code] ?? `0x${hex(code)}`;
    if (code === PARAM_MAC) return [name, this.text()];
    return [name, this.parameterValue()];
  }

  private parameterValue(): string | number {
    const v = this.peek();
    return v & 0x80 || (v >= 1 && v <= 30) ? this.integer() : this.text();
  }

  header(): [string, string | number] {
    const b = this.peek();
    if (!(b & 0x80)) {
      // Application-header: Token-text Application-specific-value
      const name = this.text();
      return [name, this.text()];
    }
    const code = this.byte() & 0x7f;
    const name = HEADER_NAMES[code] ?? `0x${hex(code)}`;
    const v = this.peek();
    if (v & 0x80) {
      const n = this.byte() & 0x7f;
      if (code === 0x43) return [name, `${n >> 4}.${n & 0x0f}`]; // Version-value: major.minor in one octet
      if (code === 0x2f) return [name, APPLICATION_ID_NAMES.get(n) ?? n];
      if (code === 0x00) return [name, this.media(n)];
      return [name, n];
    }
    if (v >= 0x20 || v === 0x00) return [name, this.text()];
    // Value with length: a long integer for the integer headers, otherwise kept as hex.
    if (code === 0x0d || code === 0x2f || code === 0x12 || code === 0x14) {
      const n = this.integer();
      return [name, code === 0x2f ? (APPLICATION_ID_NAMES.get(n) ?? n) : n];
    }
    const length = this.valueLength();
    const data = this.bytes.subarray(this.pos, this.pos + length);
    if (data.length !== length) throw malformed("a header value runs past the end");
    this.pos += length;
    return [name, Array.from(data, hex).join("")];
  }
}

function malformed(what: string): AppError {
  return new AppError("INVALID_MESSAGE", `Malformed WSP push: ${what}.`);
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}

/** The WAP push port every handset listens on (WDP, WAP-259 Appendix B) and the source ports used with it. */
export const WAP_PUSH_PORT = 2948;
export const WAP_CONNECTIONLESS_PORT = 9200;

/** A UDH with one 16-bit application port addressing IE (IEI 0x05): `06 05 04 <dest> <src>`. */
export function portUdh(destination: number, source: number): Uint8Array {
  for (const port of [destination, source]) if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new RangeError(`Not a port: ${port}`);
  return Uint8Array.from([0x06, 0x05, 0x04, destination >> 8, destination & 0xff, source >> 8, source & 0xff]);
}

/** SI over SMS: 2948 ← 9200, as Kannel's PPG sends it (kannel.md §6). */
export const SI_PUSH_UDH = portUdh(WAP_PUSH_PORT, WAP_CONNECTIONLESS_PORT);
/** CP bootstrap over SMS: 2948 ← 2948, as Kannel's sendota sends it (kannel.md §7). */
export const CP_PUSH_UDH = portUdh(WAP_PUSH_PORT, WAP_PUSH_PORT);

/** 140 octets of user data per SMS; the concatenation IE (8-bit reference) costs 5 more per part. */
const SMS_OCTETS = 140;
const CONCAT_IE = 5;

function partCapacity(udhLength: number): number {
  // Without a UDH, each part needs the UDHL octet too.
  return SMS_OCTETS - (udhLength > 0 ? udhLength + CONCAT_IE : 1 + CONCAT_IE);
}

/**
 * How many SMS an 8-bit message takes: one if UDH and body fit in 140 octets, else parts each
 * carrying the UDH plus a concatenation IE. `udhLength` counts the whole UDH with its length
 * octet (7 for SI_PUSH_UDH), 0 for none. An estimate for the console; Kannel splits itself.
 */
export function segmentsNeeded(udhLength: number, bodyLength: number): number {
  if (udhLength + bodyLength <= SMS_OCTETS) return 1;
  return Math.ceil(bodyLength / partCapacity(udhLength));
}

/**
 * The parts Kannel makes of a long binary message: the concatenation IE (00 03 ref total
 * index) appended to the given UDH (kannel.md §6: `0B 05 04 0B 84 23 F0 00 03 <ref> <n> <i>`).
 */
export function concatenatedSegments(udh: Uint8Array, body: Uint8Array, reference: number): { udh: Uint8Array; data: Uint8Array }[] {
  if (segmentsNeeded(udh.length, body.length) === 1) return [{ udh, data: body }];
  const capacity = partCapacity(udh.length);
  const total = Math.ceil(body.length / capacity);
  if (total > 255) throw new AppError("VALIDATION_FAILED", `The message needs ${total} SMS; at most 255 can be concatenated.`);
  const ies = udh.length > 0 ? Array.from(udh.subarray(1)) : [];
  return Array.from({ length: total }, (_, i) => {
    const partUdh = [...ies, 0x00, 0x03, reference & 0xff, total, i + 1];
    return { udh: Uint8Array.from([partUdh.length, ...partUdh]), data: body.slice(i * capacity, (i + 1) * capacity) };
  });
}

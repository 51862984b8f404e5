/**
 * The tests' own SMS centre: a TCP client on bearerbox's `smsc = fake` port, standing in for
 * kannel-extras' fakesmsc (which CI does not install). Bearerbox writes one `\n`-terminated line
 * per MT segment (sms_to_client in Kannel's gw/smsc/smsc_fake.c):
 *
 *   <from> <to> text <raw text>                          7-bit text without UDH, not encoded
 *   <from> <to> data <urlenc bytes>                      8-bit without UDH
 *   <from> <to> ucs-2 <urlenc UTF-16BE>                  UCS-2 without UDH
 *   <from> <to> udh <urlenc UDH> data <urlenc bytes>     anything with a UDH, whatever its coding
 *
 * Segments of a concatenated message are put back together here, so a test sees what the phone
 * would show. It reconnects by itself, so a test can restart bearerbox under it.
 */
import { EventEmitter } from "node:events";
import net from "node:net";

export type SmscMessage = {
  from: string;
  to: string;
  kind: "text" | "binary";
  text?: string;
  /** The UDH as sent (length octet first), without the concatenation IE; absent when nothing else was in it. */
  udh?: Buffer;
  /** The payload octets: always for binary, and for UCS-2 and reassembled text as well. */
  data?: Buffer;
  segments: number;
  receivedAt: number;
  /** The wire lines it came from, for failure messages. */
  lines: string[];
};

type Segment = { from: string; to: string; udh: Buffer; data: Buffer; line: string };
type Concat = { ref: number; count: number; index: number; rest: Buffer | undefined };

const RECONNECT_MS = 100;

export class FakeSmsc extends EventEmitter {
  readonly messages: SmscMessage[] = [];
  private consumed = new Set<SmscMessage>();
  private socket: net.Socket | null = null;
  private closed = false;
  private buffered = Buffer.alloc(0);
  private partial = new Map<string, { parts: (Segment | undefined)[]; rest: Buffer | undefined }>();
  private retry: NodeJS.Timeout | null = null;
  connected = false;

  constructor(
    readonly port: number,
    readonly host = "127.0.0.1",
  ) {
    super();
    // Waiters come and go per call; without this a long test prints leak warnings.
    this.setMaxListeners(0);
    this.connect();
  }

  /** Resolves once bearerbox has accepted the connection (again, after a restart). */
  whenConnected(timeoutMs = 10_000): Promise<void> {
    if (this.connected) return Promise.resolve();
    return this.waitEvent("connect", () => this.connected, timeoutMs, () => `fake SMSC not connected to ${this.host}:${this.port}`).then(() => undefined);
  }

  /**
   * The oldest message not yet taken by an earlier `next` (that matches), waiting for it if need be.
   * Messages that arrived before the call count, so the send and the wait need no ordering (the
   * line often reaches the SMSC a millisecond before sendsms has answered).
   */
  next(predicate: (m: SmscMessage) => boolean = () => true, timeoutMs = 5_000): Promise<SmscMessage> {
    const take = () => {
      const m = this.messages.find((x) => !this.consumed.has(x) && predicate(x));
      if (m) this.consumed.add(m);
      return m;
    };
    return this.waitEvent("message", take, timeoutMs, () => "no matching message");
  }

  /** All messages once at least `count` have arrived since the start (or the last `clear`). */
  waitFor(count: number, timeoutMs = 5_000): Promise<SmscMessage[]> {
    return this.waitEvent("message", () => (this.messages.length >= count ? [...this.messages] : undefined), timeoutMs, () => `expected ${count} messages`);
  }

  clear(): void {
    this.messages.length = 0;
    this.consumed.clear();
  }

  /** Injects a mobile-originated text, as if a phone had sent it to `to`. */
  sendMo(from: string, to: string, text: string): void {
    // Raw text up to the newline is the whole message on this wire, so a newline cannot be sent.
    if (/[\r\n]/.test(text) || /\s/.test(from) || /\s/.test(to)) throw new Error("sendMo: no newlines in the text, no spaces in the numbers");
    if (!this.socket || !this.connected) throw new Error("sendMo: the fake SMSC is not connected");
    this.socket.write(`${from} ${to} text ${text}\n`);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const s = this.socket;
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once("close", () => resolve());
      s.destroy();
    });
  }

  private connect(): void {
    if (this.closed) return;
    const s = net.connect(this.port, this.host);
    this.socket = s;
    s.setNoDelay(true);
    s.on("connect", () => {
      this.connected = true;
      this.emit("connect");
    });
    s.on("data", (chunk) => this.onData(chunk));
    s.on("error", () => undefined); // "close" follows; refused while bearerbox is down is expected
    s.on("close", () => {
      this.connected = false;
      this.buffered = Buffer.alloc(0);
      if (this.socket === s) this.socket = null;
      if (!this.closed) this.retry = setTimeout(() => this.connect(), RECONNECT_MS);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    let nl: number;
    while ((nl = this.buffered.indexOf(0x0a)) !== -1) {
      // Split on the byte, then decode: a raw UTF-8 text line may not end inside a chunk's character.
      const line = this.buffered.subarray(0, nl).toString("utf8").replace(/\r$/, "");
      this.buffered = this.buffered.subarray(nl + 1);
      if (line) this.onLine(line);
    }
  }

  private onLine(line: string): void {
    const parsed = parseLine(line);
    if (!parsed) {
      this.emit("invalid", line);
      return;
    }
    if ("segment" in parsed) this.onSegment(parsed.segment);
    else this.deliver(parsed.message);
  }

  private onSegment(seg: Segment): void {
    const concat = readConcat(seg.udh);
    if (!concat || concat.count <= 1) {
      this.deliver(toMessage(seg.from, seg.to, concat ? concat.rest : seg.udh, seg.data, 1, [seg.line]));
      return;
    }
    const key = `${seg.from}\u0000${seg.to}\u0000${concat.ref}\u0000${concat.count}`;
    const entry = this.partial.get(key) ?? { parts: new Array<Segment | undefined>(concat.count).fill(undefined), rest: concat.rest };
    this.partial.set(key, entry);
    if (concat.index >= 1 && concat.index <= concat.count) entry.parts[concat.index - 1] = seg;
    if (entry.parts.some((p) => !p)) return;
    this.partial.delete(key);
    const parts = entry.parts as Segment[];
    this.deliver(toMessage(seg.from, seg.to, entry.rest, Buffer.concat(parts.map((p) => p.data)), parts.length, parts.map((p) => p.line)));
  }

  private deliver(m: SmscMessage): void {
    this.messages.push(m);
    this.emit("message", m);
  }

  private waitEvent<T>(event: string, check: () => T | undefined | false, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const now = check();
      if (now) return resolve(now);
      const onEvent = () => {
        const v = check();
        if (!v) return;
        cleanup();
        resolve(v);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.messages.map((m) => `  ${m.lines.join(" | ")}`).slice(-10).join("\n");
        reject(new Error(`FakeSmsc: ${what()} within ${timeoutMs} ms; ${this.messages.length} received${seen ? `, latest:\n${seen}` : ""}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off(event, onEvent);
      };
      this.on(event, onEvent);
    });
  }
}

/** Kannel's octstr_url_decode: `+` is a space, `%XX` an octet, the rest stands for itself. */
export function urlDecodeBytes(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b) out.push(0x20);
    else if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Buffer.from(out);
}

function parseLine(line: string): { message: SmscMessage } | { segment: Segment } | null {
  const m = /^(\S+) (\S+) (text|data|ucs-2|udh) ?(.*)$/s.exec(line);
  if (!m) return null;
  const [, from, to, type, rest] = m as unknown as [string, string, string, string, string];
  const now = Date.now();
  switch (type) {
    case "text":
      return { message: { from, to, kind: "text", text: rest, segments: 1, receivedAt: now, lines: [line] } };
    case "ucs-2": {
      const data = urlDecodeBytes(rest);
      return { message: { from, to, kind: "text", text: decodeUtf16be(data), data, segments: 1, receivedAt: now, lines: [line] } };
    }
    case "data":
      return { message: { from, to, kind: "binary", data: urlDecodeBytes(rest), segments: 1, receivedAt: now, lines: [line] } };
    case "udh": {
      // Kannel 1.4.5 writes "udh <udh> data <data>"; older ones left out the "data" word.
      const u = /^(\S*) (?:data )?(.*)$/s.exec(rest);
      if (!u) return null;
      return { segment: { from, to, udh: urlDecodeBytes(u[1]!), data: urlDecodeBytes(u[2]!), line } };
    }
    default:
      return null;
  }
}

/** The concatenation IE (0x00 with an 8-bit reference, 0x08 with a 16-bit one) and the UDH without it. */
function readConcat(udh: Buffer): Concat | null {
  if (udh.length < 1) return null;
  const end = Math.min(udh.length, 1 + udh[0]!);
  const kept: Buffer[] = [];
  let concat: Omit<Concat, "rest"> | null = null;
  for (let i = 1; i + 1 < end; ) {
    const id = udh[i]!;
    const len = udh[i + 1]!;
    const ie = udh.subarray(i, i + 2 + len);
    const v = ie.subarray(2);
    if (id === 0x00 && len === 3) concat = { ref: v[0]!, count: v[1]!, index: v[2]! };
    else if (id === 0x08 && len === 4) concat = { ref: v.readUInt16BE(0), count: v[2]!, index: v[3]! };
    else kept.push(ie);
    i += 2 + len;
  }
  if (!concat) return null;
  const body = Buffer.concat(kept);
  return { ...concat, rest: body.length ? Buffer.concat([Buffer.from([body.length]), body]) : undefined };
}

function toMessage(from: string, to: string, udh: Buffer | undefined, data: Buffer, segments: number, lines: string[]): SmscMessage {
  const base = { from, to, data, segments, receivedAt: Date.now(), lines };
  if (udh && udh.length > 1) return { ...base, kind: "binary", udh };
  // A UDH line does not say the coding. Kannel adds a UDH of its own only to split a message, so
  // with nothing but the concatenation IE this was text, UCS-2 or 8-bit data: UTF-8 (Kannel's
  // internal form of 7-bit text) with no control characters is taken as text; UCS-2 of Latin
  // text has NUL octets and WBXML control octets, so both stay binary.
  const text = printableUtf8(data);
  return text === null ? { ...base, kind: "binary" } : { ...base, kind: "text", text };
}

function printableUtf8(data: Buffer): string | null {
  try {
    const s = new TextDecoder("utf-8", { fatal: true }).decode(data);
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s) ? null : s;
  } catch {
    return null;
  }
}

function decodeUtf16be(data: Buffer): string {
  const le = Buffer.from(data.subarray(0, data.length & ~1));
  le.swap16();
  return le.toString("utf16le");
}

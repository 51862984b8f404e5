/**
 * Kannel's smsbox HTTP interface (kannel.md §5): the sendsms request for a text or a binary
 * SMS, the classification of its answer, and the delivery-report callback. Pure: it builds
 * and reads strings; the outbox does the HTTP.
 *
 * Text: GSM 03.38 text goes as `charset=UTF-8` with Kannel's default 7-bit coding (160
 * characters per SMS); anything else as `coding=2` (UCS-2, 70 per SMS). Always sending UCS-2
 * would be simpler but halves what fits, and sending 7-bit blindly lets Kannel replace what
 * GSM lacks with "?". A text may not hold a line break: the fake SMSC writes texts raw, one
 * per line (kannel.md §4), and our messages are one line, so a break means a caller's bug.
 */
import { AppError } from "@/lib/errors";
import { segmentsNeeded } from "@/lib/delivery/wap/wsp";
import type { DeliveryReportMeaning } from "../message-state";
import { e164 } from "./recipient";

export type SendsmsMessage =
  | { from?: string; to: string; text: string }
  | { from?: string; to: string; udh: Uint8Array; data: Uint8Array };

export type DlrRequest = { url: string; mask: number };

/** Kannel's DLR types (the dlr-mask bits and the %d value). */
export const DLR = { DELIVERED: 1, FAILED: 2, BUFFERED: 4, SMSC_ACCEPTED: 8, SMSC_REJECTED: 16 } as const;
/** Every report: final states, buffering, and the SMSC's own accept/reject. */
export const DLR_MASK_ALL = 31;

export type SendsmsOptions = {
  /**
   * How many SMS a message may take. Kannel's sendsms-user `max-messages` must allow at least
   * this many, or Kannel cuts the message short instead of refusing it.
   */
  maxSegments?: number;
};

const DEFAULT_MAX_SEGMENTS = 10;

// GSM 03.38 default alphabet (without LF/CR, refused anyway) and the escape-table characters,
// which cost two septets each.
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENSION = new Set("^{}\\[~]|€\f");

export type TextEncoding = { coding: "gsm7" | "ucs2"; segments: number };

/** How Kannel will send a text and how many SMS it takes (153 septets or 67 UCS-2 units per part). */
export function textEncoding(text: string): TextEncoding {
  let septets = 0;
  for (const c of text) {
    if (GSM_BASIC.has(c)) septets += 1;
    else if (GSM_EXTENSION.has(c)) septets += 2;
    else {
      const units = text.length; // UTF-16 code units, which is what UCS-2 counts
      return { coding: "ucs2", segments: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { coding: "gsm7", segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
}

/**
 * The sendsms GET URL. `baseUrl` carries the endpoint and credentials
 * (http://127.0.0.1:13013/cgi-bin/sendsms?username=u&password=p); the message's parameters
 * are appended. Binary parts are %XX-encoded octet by octet, as Kannel's own tools write them.
 */
export function sendsmsUrl(baseUrl: string, msg: SendsmsMessage, dlr?: DlrRequest, options: SendsmsOptions = {}): string {
  const maxSegments = options.maxSegments ?? DEFAULT_MAX_SEGMENTS;
  const base = checkBaseUrl(baseUrl);
  const params: string[] = [];
  if (msg.from !== undefined) params.push(`from=${encodeURIComponent(checkFrom(msg.from))}`);
  params.push(`to=${encodeURIComponent(e164(msg.to))}`);
  if ("text" in msg) {
    if (/[\r\n]/.test(msg.text)) throw invalid("text", "An SMS text may not contain a line break (it would break the fake SMSC's line framing; our messages are one line).");
    if (msg.text === "") throw invalid("text", "The SMS text is empty (Kannel would send an empty SMS).");
    const { coding, segments } = textEncoding(msg.text);
    if (segments > maxSegments) throw invalid("text", `The text needs ${segments} SMS; at most ${maxSegments} are allowed.`);
    params.push(`text=${encodeURIComponent(msg.text)}`, "charset=UTF-8");
    if (coding === "ucs2") params.push("coding=2");
  } else {
    if (msg.data.length === 0) throw invalid("data", "The binary SMS has no data.");
    if (msg.udh.length > 0 && msg.udh[0] !== msg.udh.length - 1) throw invalid("udh", "The UDH's first octet must be its own length (UDHL).");
    const segments = segmentsNeeded(msg.udh.length, msg.data.length);
    if (segments > maxSegments) throw invalid("data", `The binary message needs ${segments} SMS; at most ${maxSegments} are allowed.`);
    if (msg.udh.length > 0) params.push(`udh=${percentOctets(msg.udh)}`);
    params.push(`text=${percentOctets(msg.data)}`, "coding=1");
  }
  if (dlr) {
    if (!Number.isInteger(dlr.mask) || dlr.mask < 1 || dlr.mask > DLR_MASK_ALL) throw invalid("dlr", "The DLR mask must be 1–31.");
    if (!/^https?:\/\/\S+$/.test(dlr.url)) throw invalid("dlr", "The DLR URL must be an http(s) URL (see dlrCallbackUrl).");
    params.push(`dlr-mask=${dlr.mask}`, `dlr-url=${encodeURIComponent(dlr.url)}`);
  }
  return `${base}${base.includes("?") ? "&" : "?"}${params.join("&")}`;
}

function percentOctets(data: Uint8Array): string {
  return Array.from(data, (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL | null = null;
  try {
    url = new URL(baseUrl);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) throw invalid("baseUrl", `The sendsms URL must be an http(s) URL (got "${baseUrl.slice(0, 80)}").`);
  for (const name of ["to", "text", "udh", "coding", "charset", "dlr-url", "dlr-mask"]) {
    if (url.searchParams.has(name)) throw invalid("baseUrl", `The sendsms URL already sets "${name}"; it may carry only the endpoint and credentials.`);
  }
  return baseUrl.replace(/[?&]$/, "");
}

/** A number (up to 15 digits, "+" allowed) or an alphanumeric sender of up to 11 characters (3GPP TS 23.040). */
export function checkFrom(from: string): string {
  if (/^\+?\d{1,15}$/.test(from) || /^[A-Za-z0-9 ]{1,11}$/.test(from)) return from;
  throw invalid("from", `"${from.slice(0, 20)}" is not a sender: digits (up to 15) or up to 11 letters, digits and spaces.`);
}

function invalid(field: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", message, { fields: [{ field, message }] });
}

export type SendOutcome = "accepted" | "retry" | "rejected";

/**
 * What smsbox's answer means for the outbox. smsbox answers 202 "0: Accepted for delivery" or
 * "3: Queued for later delivery" (both accepted: the message is Kannel's now), 503 "Temporal
 * failure, try again later.", 500 "Sending failed.", 403 "Authorization failed for sendsms"
 * or "Not routable. Do not try again.", 400 for a bad request (gw/smsbox.c).
 *
 * 2xx accepted. 4xx rejected, except 408 and 429: a wrong password or a refused number is a
 * configuration or data error that retrying cannot fix (the detail says which, for the admin
 * to act on). 5xx, 408, 429 and no answer at all (httpStatus 0: connection refused, timeout)
 * retry. 3xx rejected: the configured URL points at something that is not sendsms.
 */
export function parseSendsmsAnswer(httpStatus: number, body: string): { outcome: SendOutcome; detail: string } {
  const text = body.trim().slice(0, 200);
  const detail = httpStatus > 0 ? `HTTP ${httpStatus}${text ? `: ${text}` : ""}` : `no answer${text ? `: ${text}` : ""}`;
  if (httpStatus >= 200 && httpStatus < 300) return { outcome: "accepted", detail };
  if (httpStatus === 408 || httpStatus === 429 || httpStatus >= 500 || httpStatus <= 0) return { outcome: "retry", detail };
  return { outcome: "rejected", detail };
}

/** The query parameter names of our DLR callback, shared by dlrCallbackUrl and parseDlr. */
const DLR_PARAMS = { token: "t", status: "status", answer: "answer", timestamp: "ts", foreignId: "msgid", smscId: "smsc" } as const;

/**
 * The dlr-url for one message. Kannel replaces %-escapes in it (%d status, %A the SMSC's
 * answer, %T Unix time, %F the SMSC's message id, %i our smsc-id) and URL-encodes what it
 * inserts, so any other "%" would be eaten: the base may not contain one, and the token that
 * identifies the message must be base64url.
 */
export function dlrCallbackUrl(base: string, token: string): string {
  let url: URL | null = null;
  try {
    url = new URL(base);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) throw invalid("dlrUrl", "The DLR callback base must be an http(s) URL.");
  if (base.includes("%")) throw invalid("dlrUrl", 'The DLR callback base may not contain "%": Kannel would read it as an escape.');
  if (url.hash) throw invalid("dlrUrl", "The DLR callback base may not have a #fragment.");
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) throw invalid("token", "The DLR token must be base64url (letters, digits, - and _).");
  const p = DLR_PARAMS;
  for (const name of Object.values(p)) if (url.searchParams.has(name)) throw invalid("dlrUrl", `The DLR callback base already sets "${name}".`);
  const query = `${p.token}=${token}&${p.status}=%d&${p.answer}=%A&${p.timestamp}=%T&${p.foreignId}=%F&${p.smscId}=%i`;
  const separator = /[?&]$/.test(base) ? "" : base.includes("?") ? "&" : "?";
  return `${base}${separator}${query}`;
}

/** What a report says, as the message model reads it (message-state.ts). */
export type DlrMeaning = DeliveryReportMeaning;

export type DeliveryReport = {
  token: string;
  status: number;
  meaning: DlrMeaning;
  /** The SMSC's answer text ("ACK/", "id:… stat:DELIVRD err:000"), "" when none. */
  answer: string;
  smscId: string | null;
  foreignId: string | null;
  at: Date | null;
};

const MEANINGS: Readonly<Record<number, DlrMeaning>> = {
  [DLR.DELIVERED]: "delivered",
  [DLR.FAILED]: "failed",
  [DLR.BUFFERED]: "buffered",
  [DLR.SMSC_ACCEPTED]: "smsc-accepted",
  [DLR.SMSC_REJECTED]: "smsc-rejected",
};

/**
 * Reads a callback made from dlrCallbackUrl. Kannel sends one type per callback; any other
 * value is "unknown" rather than an error, so a newer Kannel cannot make us drop reports. A
 * callback without our token or with a status that is not a number is not one of ours.
 */
export function parseDlr(query: URLSearchParams): DeliveryReport {
  const p = DLR_PARAMS;
  const token = query.get(p.token) ?? "";
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) throw invalid(p.token, "The delivery report has no valid message token.");
  const statusText = query.get(p.status) ?? "";
  if (!/^\d{1,5}$/.test(statusText)) throw invalid(p.status, `The delivery report's status "${statusText.slice(0, 20)}" is not a number.`);
  const status = Number(statusText);
  const ts = query.get(p.timestamp);
  const at = ts !== null && /^\d{1,12}$/.test(ts) ? new Date(Number(ts) * 1000) : null;
  return {
    token,
    status,
    meaning: MEANINGS[status] ?? "unknown",
    answer: query.get(p.answer) ?? "",
    smscId: query.get(p.smscId) || null,
    foreignId: query.get(p.foreignId) || null,
    at,
  };
}

/**
 * PAP (WAP-247-PAP-20010429-a, PAP 2.0; Kannel's PPG also takes the 1.0 DOCTYPE) between us,
 * the push initiator, and Kannel's PPG: the push-message request, the PPG's answers, its
 * result notifications and our reply to them. The request is laid out exactly as the one
 * verified against Kannel 1.4.5 (kannel.md §6). Pure: strings and bytes; the outbox does HTTP.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { escapeAttribute } from "@/lib/device-protocol/xml-build";
import { AppError } from "@/lib/errors";
import { e164 } from "./recipient";

const PAP_DOCTYPE = '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP//EN" "http://www.wapforum.org/DTD/pap_1.0.dtd">';
const CRLF = "\r\n";
const DEFAULT_BOUNDARY = "deploydesk-pap-boundary";
/** Kannel parses the part after "@" only for its syntax (dot-separated letters, digits, "-"). */
const DEFAULT_PPG_DOMAIN = "ppg.localhost";

export type PapPushInput = {
  /** Unique per push (PAP recommends "value@domain"); the PPG answers 2007 for a repeat. */
  pushId: string;
  /** E.164 with "+"; spaces, dashes, dots and brackets are dropped. */
  recipient: string;
  content: { contentType: "text/vnd.wap.si"; body: string };
  deliverBeforeTimestamp?: Date;
  deliverAfter?: Date;
  /** Where the PPG posts the resultnotification-message. */
  notifyRequestedTo?: string;
  boundary?: string;
  /** The PPG specifier after "@" in the address; WAP-151's grammar requires one. */
  ppgDomain?: string;
};

/** The HTTP body and Content-Type of a push submission to the PPG. */
export function papPushRequest(input: PapPushInput): { contentType: string; body: Buffer } {
  if (input.content.contentType !== "text/vnd.wap.si") throw invalid("content", "Only text/vnd.wap.si content is pushed through the PPG.");
  const control = papControlXml(input);
  const parts = [
    { type: "application/xml", body: control },
    { type: input.content.contentType, body: input.content.body },
  ];
  const boundary = chooseBoundary(input.boundary, parts.map((p) => p.body));
  const body =
    parts.map((p) => `--${boundary}${CRLF}Content-Type: ${p.type}${CRLF}${CRLF}${p.body}${CRLF}`).join("") + `--${boundary}--${CRLF}`;
  return { contentType: `multipart/related; boundary=${boundary}; type="application/xml"`, body: Buffer.from(body, "utf8") };
}

function papControlXml(input: PapPushInput): string {
  if (!/^[\x21-\x7e]{1,200}$/.test(input.pushId)) throw invalid("pushId", "The push id must be 1–200 printable characters without spaces.");
  const domain = input.ppgDomain ?? DEFAULT_PPG_DOMAIN;
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)*$/.test(domain)) throw invalid("ppgDomain", "The PPG domain must be dot-separated letters, digits and dashes.");
  // The WAPPUSH= prefix is not optional: without it Kannel's wapbox loops at 100 % CPU (kannel.md §6).
  const address = `WAPPUSH=${e164(input.recipient, "recipient")}/TYPE=PLMN@${domain}`;
  const attrs: [string, string][] = [["push-id", input.pushId]];
  if (input.deliverBeforeTimestamp) attrs.push(["deliver-before-timestamp", papDate(input.deliverBeforeTimestamp, "deliverBeforeTimestamp")]);
  if (input.deliverAfter) attrs.push(["deliver-after-timestamp", papDate(input.deliverAfter, "deliverAfter")]);
  if (input.deliverBeforeTimestamp && input.deliverAfter && input.deliverAfter >= input.deliverBeforeTimestamp) {
    throw invalid("deliverAfter", "deliverAfter must be before deliverBeforeTimestamp.");
  }
  if (input.notifyRequestedTo !== undefined) {
    if (!/^https?:\/\/\S+$/.test(input.notifyRequestedTo)) throw invalid("notifyRequestedTo", "The notification address must be an http(s) URL.");
    attrs.push(["ppg-notify-requested-to", input.notifyRequestedTo]);
  }
  return [
    '<?xml version="1.0"?>',
    PAP_DOCTYPE,
    "<pap>",
    `  <push-message${attrs.map(([n, v]) => ` ${n}="${escapeAttribute(v)}"`).join("")}>`,
    `    <address address-value="${escapeAttribute(address)}"/>`,
    // Unconfirmed: an SMS bearer has no session to confirm a push over.
    '    <quality-of-service delivery-method="unconfirmed" network="GSM" network-required="true" bearer="SMS" bearer-required="true"/>',
    "  </push-message>",
    "</pap>",
  ].join("\n");
}

/** A boundary that occurs in no part (RFC 2046 §5.1.1): the given or default one, numbered until it is free. */
function chooseBoundary(requested: string | undefined, parts: string[]): string {
  if (requested !== undefined) {
    if (!/^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/.test(requested)) throw invalid("boundary", "The boundary must be 1–70 RFC 2046 characters without spaces.");
    if (parts.some((p) => p.includes(`--${requested}`))) throw invalid("boundary", "The boundary occurs in the content.");
    return requested;
  }
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? DEFAULT_BOUNDARY : `${DEFAULT_BOUNDARY}-${n}`;
    if (!parts.some((p) => p.includes(`--${candidate}`))) return candidate;
  }
}

/** PAP dates: UTC to the second, "2026-11-21T14:12:28Z". */
function papDate(date: Date, field: string): string {
  if (Number.isNaN(date.getTime())) throw invalid(field, `The ${field} date is not a valid date.`);
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function invalid(field: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", message, { fields: [{ field, message }] });
}

/**
 * PAP status codes (WAP-247 §9.13) and what each means for the outbox:
 *
 * | code | meaning                                   | outcome  |
 * |------|-------------------------------------------|----------|
 * | 1000 | OK                                        | accepted |
 * | 1001 | Accepted for processing                   | accepted |
 * | 2000 | Bad request                               | rejected |
 * | 2001 | Forbidden                                 | rejected |
 * | 2002 | Address error                             | rejected |
 * | 2003 | Address not found                         | rejected |
 * | 2004 | Push ID not found                         | rejected |
 * | 2005 | Capabilities mismatch                     | rejected |
 * | 2006 | Required capabilities not supported       | rejected |
 * | 2007 | Duplicate push ID                         | accepted |
 * | 2008 | Cancellation not possible                 | rejected |
 * | 3000 | Internal server error                     | retry    |
 * | 3001 | Not implemented                           | rejected |
 * | 3002 | Version not supported                     | rejected |
 * | 3003 | Not possible                              | rejected |
 * | 3004 | Capability matching not possible          | rejected |
 * | 3005 | Multiple addresses not supported          | rejected |
 * | 3006 | Transformation failure                    | rejected |
 * | 3007 | Specified delivery method not possible    | rejected |
 * | 3008 | Capabilities not available                | retry    |
 * | 3009 | Required network not available            | retry    |
 * | 3010 | Required bearer not available             | retry    |
 * | 3011 | Replacement not supported                 | rejected |
 * | 4000 | Service failure                           | retry    |
 * | 4001 | Service unavailable                       | retry    |
 * | 5xxx | Mobile client aborted (result notification) | rejected |
 *
 * 2xxx are our request's faults and repeating it changes nothing; 2007 is the exception: our
 * push ids are unique per message, so a duplicate means an earlier attempt whose answer we
 * lost was accepted. 3xxx is the PPG's side: permanent where the PPG says it cannot do this
 * (3006: Kannel could not compile this SI, and will not next time), worth a retry where a
 * resource is missing now. Unknown 3xxx/4xxx retry, anything else is rejected.
 */
export const PAP_CODES: Readonly<Record<number, { desc: string; outcome: PapOutcome }>> = {
  1000: { desc: "OK", outcome: "accepted" },
  1001: { desc: "Accepted for processing", outcome: "accepted" },
  2000: { desc: "Bad request", outcome: "rejected" },
  2001: { desc: "Forbidden", outcome: "rejected" },
  2002: { desc: "Address error", outcome: "rejected" },
  2003: { desc: "Address not found", outcome: "rejected" },
  2004: { desc: "Push ID not found", outcome: "rejected" },
  2005: { desc: "Capabilities mismatch", outcome: "rejected" },
  2006: { desc: "Required capabilities not supported", outcome: "rejected" },
  2007: { desc: "Duplicate push ID", outcome: "accepted" },
  2008: { desc: "Cancellation not possible", outcome: "rejected" },
  3000: { desc: "Internal server error", outcome: "retry" },
  3001: { desc: "Not implemented", outcome: "rejected" },
  3002: { desc: "Version not supported", outcome: "rejected" },
  3003: { desc: "Not possible", outcome: "rejected" },
  3004: { desc: "Capability matching not possible", outcome: "rejected" },
  3005: { desc: "Multiple addresses not supported", outcome: "rejected" },
  3006: { desc: "Transformation failure", outcome: "rejected" },
  3007: { desc: "Specified delivery method not possible", outcome: "rejected" },
  3008: { desc: "Capabilities not available", outcome: "retry" },
  3009: { desc: "Required network not available", outcome: "retry" },
  3010: { desc: "Required bearer not available", outcome: "retry" },
  3011: { desc: "Replacement not supported", outcome: "rejected" },
  4000: { desc: "Service failure", outcome: "retry" },
  4001: { desc: "Service unavailable", outcome: "retry" },
};

export type PapOutcome = "accepted" | "retry" | "rejected";

export function papOutcome(code: number): PapOutcome {
  const known = PAP_CODES[code];
  if (known) return known.outcome;
  if (code >= 1000 && code < 2000) return "accepted";
  if (code >= 3000 && code < 5000) return "retry";
  return "rejected";
}

const ATTR = "@_";
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, _jpath, _leaf, isAttribute) => !isAttribute,
  // Only the predefined entities: the DOCTYPE is removed before parsing, so none can be declared.
  processEntities: true,
  htmlEntities: false,
});

type Element = Record<string, unknown>;

/** The PPG's XML, parsed: its DOCTYPE (always sent) dropped, internal subsets refused. */
function parsePap(xml: string): Element {
  if (/<!DOCTYPE[^>]*\[/i.test(xml)) throw new AppError("BAD_XML", "The PAP document declares an internal DTD subset, which is not accepted.");
  const text = xml.replace(/<!DOCTYPE[^>]*>/i, "");
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new AppError("BAD_XML", `The PAP document is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}).`);
  const doc = parser.parse(text) as Element;
  const pap = (doc.pap as Element[] | undefined)?.[0];
  if (!pap || typeof pap !== "object") throw new AppError("WRONG_ROOT", "The document is not a PAP message (no <pap> root).");
  return pap;
}

function child(element: Element, name: string): Element | undefined {
  const found = (element[name] as unknown[] | undefined)?.[0];
  return found && typeof found === "object" ? (found as Element) : found === "" ? {} : undefined;
}

function attr(element: Element, name: string): string | undefined {
  const value = element[ATTR + name];
  return value === undefined ? undefined : String(value);
}

function codeOf(element: Element, where: string): number {
  const code = attr(element, "code");
  if (code === undefined || !/^\d{4}$/.test(code.trim())) throw new AppError("INVALID_MESSAGE", `The PAP ${where} has no four-digit code.`);
  return Number(code.trim());
}

export type PapResponse = { kind: "push-response" | "badmessage-response"; pushId?: string; code: number; desc?: string };

/** The PPG's answer to a push submission. */
export function parsePapResponse(xml: string): PapResponse {
  const pap = parsePap(xml);
  const push = child(pap, "push-response");
  if (push) {
    const result = child(push, "response-result");
    if (!result) throw new AppError("INVALID_MESSAGE", "The push-response has no response-result.");
    return withOptional<PapResponse>({ kind: "push-response", code: codeOf(result, "response-result") }, { pushId: attr(push, "push-id"), desc: attr(result, "desc") });
  }
  const bad = child(pap, "badmessage-response");
  if (bad) return withOptional<PapResponse>({ kind: "badmessage-response", code: codeOf(bad, "badmessage-response") }, { desc: attr(bad, "desc") });
  throw new AppError("INVALID_MESSAGE", `Expected a push-response or badmessage-response, got <${Object.keys(pap).find((k) => !k.startsWith(ATTR)) ?? "nothing"}>.`);
}

export type MessageState = "delivered" | "undeliverable" | "expired" | "aborted" | "timeout" | "cancelled" | "rejected" | "pending" | "unknown";
const MESSAGE_STATES: readonly MessageState[] = ["delivered", "undeliverable", "expired", "aborted", "timeout", "cancelled", "rejected", "pending", "unknown"];

export type ResultNotification = {
  pushId: string;
  code: number;
  desc?: string;
  /** PAP's message-state; a value PAP does not define reads as "unknown". */
  messageState: MessageState;
  receivedAt?: Date;
  eventTime?: Date;
};

/** A resultnotification-message the PPG posts to ppg-notify-requested-to. */
export function parseResultNotification(xml: string): ResultNotification {
  const pap = parsePap(xml);
  const n = child(pap, "resultnotification-message");
  if (!n) throw new AppError("INVALID_MESSAGE", "Expected a resultnotification-message.");
  const pushId = attr(n, "push-id");
  if (!pushId) throw new AppError("INVALID_MESSAGE", "The result notification has no push-id.");
  const state = (attr(n, "message-state") ?? "").toLowerCase();
  return withOptional<ResultNotification>(
    { pushId, code: codeOf(n, "result notification"), messageState: (MESSAGE_STATES as readonly string[]).includes(state) ? (state as MessageState) : "unknown" },
    { desc: attr(n, "desc"), receivedAt: dateOf(attr(n, "received-time")), eventTime: dateOf(attr(n, "event-time")) },
  );
}

function dateOf(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Copies the optional fields that are present, so results compare equal without undefined keys. */
function withOptional<T extends object>(base: T, optional: Partial<T>): T {
  const out = { ...base };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Our answer to a result notification (PAP §8.3): the push id and a response-result. */
export function resultNotificationResponse(pushId: string, code = 1000): string {
  if (!Number.isInteger(code) || code < 1000 || code > 9999) throw invalid("code", "A PAP code has four digits.");
  const desc = PAP_CODES[code]?.desc ?? "";
  return [
    '<?xml version="1.0"?>',
    PAP_DOCTYPE,
    "<pap>",
    `  <resultnotification-response push-id="${escapeAttribute(pushId)}">`,
    `    <response-result code="${code}"${desc ? ` desc="${escapeAttribute(desc)}"` : ""}/>`,
    "  </resultnotification-response>",
    "</pap>",
  ].join("\n");
}

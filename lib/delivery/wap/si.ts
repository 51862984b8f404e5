/**
 * WAP Service Indication (WAP-167-ServiceInd-20010731-a): the push that shows a text and a
 * link. Two forms: the textual document (text/vnd.wap.si) for Kannel's PPG, which compiles it
 * itself, and the WBXML form (application/vnd.wap.sic, §8-9 of the spec) for the sendsms
 * route. The encoder copies the choices of Kannel's SI compiler (gw/wap_push_si_compiler.c)
 * so both routes put the same bytes on the air and the PPG can serve as a reference encoder
 * in tests (kannel.md §6). Pure.
 */
import { escapeAttribute, escapeText } from "@/lib/device-protocol/xml-build";
import { AppError } from "@/lib/errors";
import { CHARSET_UTF8, readWbxml, WbxmlWriter, type WbxmlLanguage } from "./wbxml";

export type SiAction = "signal-none" | "signal-low" | "signal-medium" | "signal-high" | "delete";

export type ServiceIndication = {
  href: string;
  text: string;
  siId?: string;
  created?: Date;
  expires?: Date;
  /** Absent: the device's default, signal-medium (WAP-167 §5.2.1). */
  action?: SiAction;
};

export const SI_PUBLIC_ID = 0x05;

/**
 * Kannel writes version 0x02 (WBXML 1.2) for SI; the header layout of 1.2 and 1.3 is the
 * same, and matching it keeps our bytes identical to the PPG's.
 */
const SI_WBXML_VERSION = 0x02;

const ACTIONS: readonly SiAction[] = ["signal-none", "signal-low", "signal-medium", "signal-high", "delete"];

/** URL prefixes in the order Kannel tries them: the longer "www." forms first. */
const HREF_PREFIXES = ["https://www.", "http://www.", "https://", "http://"] as const;
/** Kannel tokenizes the first of these (in this order) that occurs, once. */
const URL_PARTS = [".com/", ".edu/", ".net/", ".org/"] as const;

/** WAP-167 §9.3: tag tokens, attribute start tokens, attribute value tokens; all code page 0. */
export const SI_LANGUAGE: WbxmlLanguage = {
  name: "SI 1.0",
  publicId: SI_PUBLIC_ID,
  tags: [
    { name: "si", page: 0, code: 0x05 },
    { name: "indication", page: 0, code: 0x06 },
    { name: "info", page: 0, code: 0x07 },
    { name: "item", page: 0, code: 0x08 },
  ],
  attributeStarts: [
    ...ACTIONS.map((prefix, i) => ({ name: "action", prefix, page: 0, code: 0x05 + i })),
    { name: "created", page: 0, code: 0x0a },
    { name: "href", page: 0, code: 0x0b },
    { name: "href", prefix: "http://", page: 0, code: 0x0c },
    { name: "href", prefix: "http://www.", page: 0, code: 0x0d },
    { name: "href", prefix: "https://", page: 0, code: 0x0e },
    { name: "href", prefix: "https://www.", page: 0, code: 0x0f },
    { name: "si-expires", page: 0, code: 0x10 },
    { name: "si-id", page: 0, code: 0x11 },
    { name: "class", page: 0, code: 0x12 },
  ],
  attributeValues: URL_PARTS.map((value, i) => ({ value, page: 0, code: 0x85 + i })),
};

const token = (name: string, prefix?: string) => {
  const found = SI_LANGUAGE.attributeStarts.find((a) => a.name === name && a.prefix === prefix);
  if (!found) throw new RangeError(`no SI token for ${name}=${prefix ?? ""}`);
  return found;
};

/** The textual document, for the PPG (PAP content part text/vnd.wap.si). */
export function siXml(si: ServiceIndication): string {
  checkSi(si);
  const attrs = attributeList(si)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join("");
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE si PUBLIC "-//WAPFORUM//DTD SI 1.0//EN" "http://www.wapforum.org/DTD/si.dtd">',
    "<si>",
    `  <indication${attrs}>${escapeText(si.text)}</indication>`,
    "</si>",
  ].join("\n");
}

/** Attributes in the one order both forms use (Kannel keeps document order). */
function attributeList(si: ServiceIndication): [string, string][] {
  const list: [string, string][] = [["href", si.href]];
  if (si.siId !== undefined) list.push(["si-id", si.siId]);
  if (si.created) list.push(["created", siDate(si.created)]);
  if (si.expires) list.push(["si-expires", siDate(si.expires)]);
  if (si.action) list.push(["action", si.action]);
  return list;
}

/** The compiled form, application/vnd.wap.sic. */
export function encodeSi(si: ServiceIndication): Uint8Array {
  checkSi(si);
  const w = new WbxmlWriter({ version: SI_WBXML_VERSION, publicId: SI_PUBLIC_ID, charset: CHARSET_UTF8 });
  // Kannel's compiler collapses whitespace runs and trims the text, as XML text may be reflowed.
  const text = si.text.replace(/[\t\n\v\f\r ]+/g, " ").replace(/^ | $/g, "");
  w.startElement({ page: 0, code: 0x05 }, { attributes: false, content: true });
  w.startElement({ page: 0, code: 0x06 }, { attributes: true, content: text !== "" });
  for (const [name, value] of attributeList(si)) {
    if (name === "href") writeHref(w, value);
    else if (name === "action") w.attributeStart(token("action", value));
    else if (name === "created" || name === "si-expires") w.attributeStart(token(name)).opaque(bcdDate(value));
    else w.attributeStart(token(name)).inlineString(value);
  }
  w.end();
  if (text !== "") w.inlineString(text).end();
  return w.end().bytes();
}

/**
 * Kannel's URL tokenization, kept exactly: the longest known prefix, then the first URL part
 * of the table found anywhere in the rest, with the text on both sides inline even when
 * empty ("http://example.com/" ends `85 03 00`).
 */
function writeHref(w: WbxmlWriter, href: string): void {
  const prefix = HREF_PREFIXES.find((p) => href.startsWith(p));
  w.attributeStart(token("href", prefix));
  const rest = href.slice(prefix?.length ?? 0);
  for (const [i, part] of URL_PARTS.entries()) {
    const at = rest.indexOf(part);
    if (at < 0) continue;
    w.inlineString(rest.slice(0, at)).attributeValue({ page: 0, code: 0x85 + i }).inlineString(rest.slice(at + part.length));
    return;
  }
  w.inlineString(rest);
}

/** Reads the compiled form back (tests, the development outbox). */
export function decodeSi(bytes: Uint8Array): ServiceIndication {
  const doc = readWbxml(bytes, SI_LANGUAGE, {
    opaque: (data, where) => {
      if (where.attribute === "created" || where.attribute === "si-expires") return dateFromBcd(data);
      throw new AppError("INVALID_MESSAGE", `Unexpected OPAQUE data in <${where.tag}>.`);
    },
  });
  if (doc.publicId !== SI_PUBLIC_ID) throw new AppError("INVALID_MESSAGE", `Not an SI document (public id ${String(doc.publicId)}).`);
  const indication = doc.root.tag === "si" ? doc.root.children.find((c) => c.tag === "indication") : undefined;
  if (!indication) throw new AppError("INVALID_MESSAGE", "The SI document has no <indication>.");
  const a = indication.attributes;
  if (a.href === undefined) throw new AppError("INVALID_MESSAGE", "The SI indication has no href.");
  const si: ServiceIndication = { href: a.href, text: indication.text };
  if (a["si-id"] !== undefined) si.siId = a["si-id"];
  if (a.created !== undefined) si.created = new Date(a.created);
  if (a["si-expires"] !== undefined) si.expires = new Date(a["si-expires"]);
  if (a.action !== undefined) {
    if (!(ACTIONS as readonly string[]).includes(a.action)) throw new AppError("INVALID_MESSAGE", `Unknown SI action "${a.action}".`);
    si.action = a.action as SiAction;
  }
  return si;
}

function checkSi(si: ServiceIndication): void {
  let url: URL | null = null;
  try {
    url = new URL(si.href);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !/^https?:\/\/[^\s]+$/.test(si.href)) {
    throw invalid("href", `The SI link must be an http:// or https:// URL without spaces (got "${si.href.slice(0, 100)}").`);
  }
  for (const [field, value] of [["text", si.text], ["siId", si.siId ?? ""], ["href", si.href]] as const) {
    // XML 1.0 cannot carry these, and STR_I cannot carry NUL.
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(value)) throw invalid(field, `The SI ${field} contains a control character.`);
  }
  if (si.siId !== undefined && si.siId.trim() === "") throw invalid("siId", "The SI id, when given, must not be empty.");
  if (si.action !== undefined && !ACTIONS.includes(si.action)) throw invalid("action", `Unknown SI action "${String(si.action)}".`);
  for (const [field, date] of [["created", si.created], ["expires", si.expires]] as const) {
    if (date && (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1000 || date.getUTCFullYear() > 9999)) {
      throw invalid(field, `The SI ${field} date is not a valid date with a four-digit year.`);
    }
  }
}

function invalid(field: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", message, { fields: [{ field, message }] });
}

/** WAP-167 §5.2.1 dates: UTC to the second ("2026-11-21T14:00:00Z"); milliseconds are dropped. */
function siDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** WAP-167 §8.2.2: the 14 digits as BCD, trailing zero octets removed (`20 26 11 21 14`). */
function bcdDate(text: string): Uint8Array {
  const digits = text.replace(/[-T:Z]/g, "");
  const octets: number[] = [];
  for (let i = 0; i < 14; i += 2) octets.push((Number(digits[i]) << 4) | Number(digits[i + 1]));
  while (octets.at(-1) === 0) octets.pop();
  return Uint8Array.from(octets);
}

function dateFromBcd(data: Uint8Array): string {
  if (data.length > 7) throw new AppError("INVALID_MESSAGE", `An SI date is ${data.length} octets long (at most 7).`);
  const digits = Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("").padEnd(14, "0");
  if (!/^\d{14}$/.test(digits)) throw new AppError("INVALID_MESSAGE", "An SI date holds a nibble that is not a decimal digit.");
  const iso = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}T${digits.slice(8, 10)}:${digits.slice(10, 12)}:${digits.slice(12, 14)}Z`;
  if (Number.isNaN(new Date(iso).getTime())) throw new AppError("INVALID_MESSAGE", `An SI date is not a date (${iso}).`);
  return iso;
}

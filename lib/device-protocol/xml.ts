/**
 * The one XML parser configuration for device input, and the leniency real CE messages need.
 *
 * fast-xml-parser defaults are wrong for a device protocol: they coerce "0" to 0, drop
 * attributes and return one repeated child as an object but two as an array. Here every value
 * stays a string, attributes are kept, and callers read children through `childrenOf`, which
 * always returns an array and matches local names case-insensitively (the docs mix `CodePage`
 * and `codePage`).
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { AppError } from "@/lib/errors";

/** Namespaces a device may use: real devices send http://, the published samples https://. */
export const DM_NAMESPACES = [
  "http://www.microsoft.com/DeviceManagement.xsd",
  "https://www.microsoft.com/DeviceManagement.xsd",
] as const;

const ATTR = "@_";
const TEXT = "#text";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Kept off: it would also drop the xmlns attribute we check. Prefixes are stripped on lookup.
  removeNSPrefix: false,
  // Every element becomes an array, so a single child and several children read the same.
  isArray: (_name, _jpath, isLeafNode, isAttribute) => !isAttribute,
  // Only the five predefined entities; DOCTYPE is refused before parsing (see parseXmlDocument).
  processEntities: true,
  htmlEntities: false,
});

export type XmlElement = { [key: string]: unknown };

/**
 * The CE samples leave start tags unclosed (`<StatusMessage a="1" b="2"` followed directly by
 * `<Parameter`). Insert the missing `>` when a start tag's attribute list runs into the next
 * `<`. Only that exact shape is repaired; everything else must be well-formed.
 */
export function repairUnclosedStartTags(xml: string): string {
  return xml.replace(
    /(<[A-Za-z_][\w.:-]*(?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)(\s*)(?=<)/g,
    (_m, tag: string, space: string) => `${tag}>${space}`,
  );
}

/** A device document's bytes as text: UTF-8 (the real device says so even with CodePage 866), no NUL. */
export function decodeXmlBody(body: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new AppError("BAD_ENCODING", "The body is not valid UTF-8.");
  }
  // XML forbids U+0000 and PostgreSQL cannot store it in text: refuse it here.
  if (text.includes("\u0000")) throw new AppError("BAD_ENCODING", "The body contains a NUL character.");
  return text;
}

export type Repair = (xml: string) => string;

/**
 * The software-inventory samples write `< Directory` (a space after `<`): not XML, but
 * unambiguous. Only a space between `<` (or `</`) and a name is removed.
 */
export function repairSpaceAfterLt(xml: string): string {
  return xml.replace(/<(\/?)[ \t]+(?=[A-Za-z_])/g, "<$1");
}

/**
 * The software-inventory schema puts comments inside start tags. Comments carry no data, so
 * they are dropped before parsing (only in the documents that need it).
 */
export function repairComments(xml: string): string {
  return xml.replace(/<!--[\s\S]*?-->/g, "");
}

/**
 * The machine-inventory schema never closes `<InventoryItem>`. Closes an open `name` element
 * when the next one starts or its `parent` ends; nothing else.
 */
export function repairUnclosed(name: string, parent: string): Repair {
  const tags = new RegExp(`<${name}\\b[^>]*>|</${name}\\s*>|</${parent}\\s*>`, "g");
  return (xml) => {
    let open = false;
    return xml.replace(tags, (tag) => {
      if (tag.startsWith(`</${name}`)) {
        open = false;
        return tag;
      }
      const close = open ? `</${name}>` : "";
      open = tag.startsWith(`<${name}`) && !tag.endsWith("/>");
      return close + tag;
    });
  };
}

/** Parses a device document, returning the root's local name and element. 400 on anything odd. */
export function parseXmlDocument(
  xml: string,
  repairs: Repair[] = [repairUnclosedStartTags],
): { rootName: string; root: XmlElement; namespace: string | null } {
  if (xml.trim() === "") throw new AppError("BAD_XML", "The request body is empty; expected an XML document.");
  if (/<!DOCTYPE/i.test(xml)) throw new AppError("BAD_XML", "DOCTYPE declarations are not accepted in device messages.");
  // Without a DOCTYPE only the five predefined entities and character references exist; the
  // parser would keep anything else as text, which is not XML. Nothing is ever expanded or fetched.
  const entity = xml.match(/&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9A-Fa-f]{1,6});)[^\s;<]{0,20};?/);
  if (entity) throw new AppError("BAD_XML", `The body uses an undeclared entity or a stray "&" (${entity[0]}).`);

  let text = xml;
  const first = XMLValidator.validate(text);
  if (first !== true) {
    // The documented quirks of this document type, tried only when the document as sent fails.
    const repaired = repairs.reduce((x, repair) => repair(x), xml);
    if (repaired === xml || XMLValidator.validate(repaired) !== true) {
      // Report the error of the document as sent: its line and column mean something to the sender.
      const { msg, line, col } = first.err;
      // Some messages list every open tag; keep the answer one readable line.
      const short = msg.length > 200 ? `${msg.slice(0, 200)}…` : msg;
      throw new AppError("BAD_XML", `The body is not well-formed XML: ${short} (line ${line}, column ${col}).`);
    }
    text = repaired;
  }

  let doc: XmlElement;
  try {
    doc = parser.parse(text) as XmlElement;
  } catch (error) {
    // The parser refuses some well-formed input on purpose (names such as __proto__, very deep
    // nesting): that is the sender's problem, not a server error.
    throw new AppError("BAD_XML", `The XML document was refused: ${(error as Error).message.slice(0, 200)}`);
  }
  const roots = Object.keys(doc).filter((k) => !k.startsWith("?"));
  if (roots.length !== 1 || (doc[roots[0]!] as unknown[]).length !== 1) {
    throw new AppError("BAD_XML", "The XML document must have exactly one root element.");
  }
  const rootName = localName(roots[0]!);
  const rawRoot = (doc[roots[0]!] as unknown[])[0];
  const root: XmlElement = typeof rawRoot === "object" && rawRoot !== null ? (rawRoot as XmlElement) : { [TEXT]: String(rawRoot ?? "") };
  return { rootName, root, namespace: attribute(root, "xmlns") };
}

function localName(qualified: string): string {
  return qualified.slice(qualified.indexOf(":") + 1);
}

/** Child elements with the given local name (case-insensitive), always as an array. */
export function childrenOf(element: XmlElement, name: string): XmlElement[] {
  const wanted = name.toLowerCase();
  const out: XmlElement[] = [];
  for (const [key, value] of Object.entries(element)) {
    if (key.startsWith(ATTR) || key === TEXT || localName(key).toLowerCase() !== wanted) continue;
    for (const child of value as unknown[]) out.push(typeof child === "object" && child !== null ? (child as XmlElement) : { [TEXT]: String(child) });
  }
  return out;
}

/** Attribute value as the device wrote it (case-insensitive name), or null. */
export function attribute(element: XmlElement, name: string): string | null {
  const wanted = (ATTR + name).toLowerCase();
  for (const [key, value] of Object.entries(element)) {
    if (key.toLowerCase() === wanted) return String(value);
  }
  return null;
}

/** Element text, or "" when the element is empty. */
export function textOf(element: XmlElement): string {
  const t = element[TEXT];
  return t === undefined ? "" : String(t);
}

export function checkNamespace(namespace: string | null, rootName: string): void {
  if (namespace !== null && !(DM_NAMESPACES as readonly string[]).includes(namespace)) {
    throw new AppError(
      "WRONG_NAMESPACE",
      `Unexpected namespace "${namespace}" on <${rootName}>; expected ${DM_NAMESPACES[0]} or none.`,
    );
  }
}

/**
 * Building XML for CE devices. The client's XML parser is limited (protocol §1), so output is
 * shaped like Microsoft's samples: plain elements and attributes, no namespace prefixes, no
 * CDATA, no comments; every text and attribute value escaped.
 */

const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': "&quot;", "'": "&apos;" };

export function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]!);
}

export function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ATTR_ESCAPES[c]!);
}

/** `name="value"` pairs, in the given order. */
export function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join("");
}

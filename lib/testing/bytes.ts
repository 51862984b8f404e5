/** Byte strings for the delivery codec tests, written the way kannel.md quotes them. */

/** Octets and ASCII strings, in order: `bytes(0x03, "example", 0x00)`. */
export function bytes(...parts: (number | string)[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => (typeof p === "number" ? [p] : Array.from(p, (c) => c.charCodeAt(0)))));
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "");
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function toHex(data: Uint8Array): string {
  return Buffer.from(data).toString("hex");
}

/** What fakesmsc prints for `data`/`udh` (kannel.md §4): %XX, `+` for space, the rest as is. */
export function fromFakeSmscUrlEncoding(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "%") {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c === "+" ? 0x20 : c.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

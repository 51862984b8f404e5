/**
 * HTTP Range for package downloads (RFC 9110 §14): single byte ranges only, which is what a
 * resuming CE client sends. Pure.
 *
 * - no header, or one this server does not do (several ranges, other units, garbage): the
 *   whole file (a server may ignore Range);
 * - a satisfiable range: that part (206);
 * - a range wholly beyond the end: 416.
 */
export type RangeDecision = { kind: "full" } | { kind: "partial"; start: number; end: number } | { kind: "unsatisfiable" };

export function decideRange(header: string | null, size: number, ifRange: string | null = null, etag: string | null = null): RangeDecision {
  if (header === null) return { kind: "full" };
  // If-Range with another validator: the file changed since the first part, send it whole.
  if (ifRange !== null && ifRange.trim() !== etag) return { kind: "full" };
  const m = header.trim().match(/^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i);
  if (!m || (m[1] === "" && m[2] === "")) return { kind: "full" };
  if (m[1] === "") {
    // A suffix: the last N bytes.
    const n = Number(m[2]);
    if (n === 0) return { kind: "unsatisfiable" };
    return size === 0 ? { kind: "unsatisfiable" } : { kind: "partial", start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return { kind: "full" }; // invalid: ignored
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end };
}

/**
 * Ordering of DME client versions ("6.0.1234", "6.1", "6.0.12b"), for the install wizard's
 * "running a lower version" preset. Versions are compared part by part: runs of digits as
 * numbers ("1.10" after "1.9"), other runs as text, a missing part lower than any present one
 * ("6.0" before "6.0.1"). Pure.
 */
const PART = /\d+|[a-z]+/gi;

function parts(version: string): (number | string)[] {
  return (version.match(PART) ?? []).map((p) => (/^\d/.test(p) ? Number(p) : p.toLowerCase()));
}

/** Negative when a is lower than b, positive when higher, 0 when they name the same version. */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    // A number sorts before a word at the same place ("1.0" before "1.beta"): releases are numbered.
    if (typeof x === "number" && typeof y === "number") return x - y;
    if (typeof x === "number") return -1;
    if (typeof y === "number") return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The versions in `known` lower than `version`. */
export function versionsBelow(known: readonly string[], version: string): string[] {
  return known.filter((v) => compareVersions(v, version) < 0);
}

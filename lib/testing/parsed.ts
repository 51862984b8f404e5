/**
 * For tests of a `Parsed<T>` parser (the list addresses): `ok` gives the value or fails the
 * test with the issues it got; `issues` gives the issues or fails when the input was accepted.
 */
import type { Parsed } from "@/lib/validation";

export function parsedCases<I, T>(parse: (input: I) => Parsed<T>) {
  return {
    ok(input: I): T {
      const r = parse(input);
      if (!r.ok) throw new Error(`expected a value, got issues: ${JSON.stringify(r.issues)}`);
      return r.value;
    },
    issues(input: I) {
      const r = parse(input);
      if (r.ok) throw new Error(`expected issues, got ${JSON.stringify(r.value)}`);
      return r.issues;
    },
  };
}

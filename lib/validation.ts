/**
 * Input validation shared by pages and the JSON API: search parameters in either shape Next and
 * the platform give them, and one issue shape, `{ field, message }`, that a page shows and the
 * JSON API answers with 422. Pure.
 */
import type { z } from "zod";

export type ValidationIssue = { field: string; message: string };

/** Thrown where a caller wants an exception (the JSON API maps it to 422 with `issues`). */
export class ValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "));
    this.name = "ValidationError";
  }
}

/** `URLSearchParams`, or Next's awaited `searchParams` (a value or an array per key). */
export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

/** Every value of every key, in order, as URLSearchParams.getAll would give them. */
export function searchParamValues(input: SearchParamsInput): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (key: string, value: string) => out.set(key, [...(out.get(key) ?? []), value]);
  if (input instanceof URLSearchParams) {
    for (const [key, value] of input) add(key, value);
  } else {
    for (const [key, value] of Object.entries(input)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) add(key, v);
    }
  }
  return out;
}

/** zod's issues as field + message, the field being the parameter's name. */
export function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ field: String(issue.path[0] ?? "query"), message: issue.message }));
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

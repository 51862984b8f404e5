/**
 * Schema checks at the edge of every service: one way to turn a zod failure into the
 * VALIDATION_FAILED error that forms show beside their fields and the API answers with 422,
 * and the search-parameter helpers pages and the API share. Pure.
 */
import { z as zod, type z } from "zod";
import { AppError, type FieldError } from "@/lib/errors";

/** One problem with one field (or search parameter): what a page shows and a 422 lists. */
export type ValidationIssue = FieldError;

export function fieldErrors(error: z.ZodError, field?: string): FieldError[] {
  return error.issues.map((issue) => ({ field: issue.path.length ? issue.path.join(".") : (field ?? ""), message: issue.message }));
}

export function validationFailed(issues: ValidationIssue[]): AppError {
  return new AppError("VALIDATION_FAILED", issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join("; "), { fields: issues });
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error, field);
  throw new AppError("VALIDATION_FAILED", fields.map((f) => f.message).join(" "), { fields });
}

/**
 * An optional form field: an empty string means "not given". (A union with z.literal("")
 * would answer a bad value with zod's generic "Invalid input" instead of the field's message.)
 */
export function blankAsUndefined<S extends z.ZodType>(schema: S) {
  return zod.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());
}

/** As blankAsUndefined, but an empty string clears the value (null), for edits. */
export function blankAsNull<S extends z.ZodType>(schema: S) {
  return zod.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), schema.nullable().optional());
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

/** A parse's value, or VALIDATION_FAILED with its issues (the JSON API answers it 422 with its fields). */
export function parsedOrThrow<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw validationFailed(parsed.issues);
  return parsed.value;
}

/**
 * A list address's parameters through its schema: each of `single` at most once (empty values
 * ignored), each of `multi` as the distinct non-empty values of a repeated key (the OR-ed values
 * of one filter). Unknown parameters are ignored; bad values are issues.
 */
export function parseListParams<S extends z.ZodType>(schema: S, input: SearchParamsInput, single: readonly string[], multi: readonly string[]): Parsed<z.output<S>> {
  const all = searchParamValues(input);
  const issues: ValidationIssue[] = [];
  const raw: Record<string, unknown> = {};
  for (const key of single) {
    const v = (all.get(key) ?? []).filter((x) => x !== "");
    if (v.length > 1) issues.push({ field: key, message: `${key} can be given only once.` });
    raw[key] = v[0];
  }
  for (const key of multi) raw[key] = [...new Set((all.get(key) ?? []).map((x) => x.trim()).filter((x) => x !== ""))];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) issues.push(...zodIssues(parsed.error));
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, value: parsed.data };
}

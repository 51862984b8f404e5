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

/** A checkbox or JSON boolean: "on", "true", "1" or true are true, anything else (its hidden "false", absence) false. */
export const flag = zod.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", zod.boolean());

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

// ---------------------------------------------------------------------------------------------
// A list's address (the devices list, the jobs list, the installation log)

/** A value as a message quotes it: JSON-quoted, cut at 80 characters. */
export const quoted = (input: unknown) => JSON.stringify(String(input)).slice(0, 80);

/**
 * The raw values of a list address for its schema: a single-valued key given twice is an issue;
 * a repeatable key's values (OR-ed by the list) are trimmed, empty and repeated ones dropped.
 */
export function listParamValues(input: SearchParamsInput, single: readonly string[], multi: readonly string[]): { raw: Record<string, unknown>; issues: ValidationIssue[] } {
  const all = searchParamValues(input);
  const issues: ValidationIssue[] = [];
  const raw: Record<string, unknown> = {};
  for (const key of single) {
    const v = (all.get(key) ?? []).filter((x) => x !== "");
    if (v.length > 1) issues.push({ field: key, message: `${key} can be given only once.` });
    raw[key] = v[0];
  }
  for (const key of multi) raw[key] = [...new Set((all.get(key) ?? []).map((x) => x.trim()).filter((x) => x !== ""))];
  return { raw, issues };
}

/**
 * A list address through its schema: the raw values (listParamValues) checked, every problem an
 * issue. The list's own parser goes on from the schema's output (defaults, the cursor).
 */
export function parseListValues<S extends z.ZodType>(schema: S, input: SearchParamsInput, single: readonly string[], multi: readonly string[]): Parsed<z.output<S>> {
  const { raw, issues } = listParamValues(input, single, multi);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) issues.push(...zodIssues(parsed.error));
  return issues.length > 0 || !parsed.success ? { ok: false, issues } : { ok: true, value: parsed.data };
}

/** A parsed value, or VALIDATION_FAILED with its issues (the JSON API answers it 422 with its fields). */
export function valueOrThrow<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw validationFailed(parsed.issues);
  return parsed.value;
}

/** A repeatable filter whose values are one of `options`. */
export function enumValues<T extends readonly [string, ...string[]]>(what: string, options: T) {
  return zod.array(zod.enum(options, { error: (iss) => `${quoted(iss.input)} is not a ${what} filter; use ${options.join(", ")}.` })).max(50, { error: `At most 50 ${what} filters at once.` });
}

/** The sort parameter: only the list's own names, an unknown one refused by name. */
export function sortParam<T extends readonly [string, ...string[]]>(sorts: T) {
  return zod.enum(sorts, { error: (iss) => `The list cannot be sorted by ${quoted(iss.input)}; sortable columns are ${sorts.join(", ")}.` }).optional();
}

export const dirParam = zod.enum(["asc", "desc"], { error: (iss) => `The sort direction must be asc or desc, not ${quoted(iss.input)}.` }).optional();

/** A row id in a filter: digits only, within PostgreSQL's int (a larger one would fail in SQL, not here). */
export function idParam(what: string) {
  return zod
    .string()
    .regex(/^[1-9]\d{0,9}$/, { error: (iss) => `${quoted(iss.input)} is not a ${what} id (a whole number).` })
    .transform(Number)
    .refine((n) => n <= 2_147_483_647, { error: `That ${what} id is too large.` });
}

/** A column header's link direction: the other one when it is the sort already, else the column's own first. */
export function nextSortDir<S extends string>(current: { sort: S; dir: "asc" | "desc" }, sort: S, defaults: { [K in S]: "asc" | "desc" }): "asc" | "desc" {
  return current.sort === sort ? (current.dir === "asc" ? "desc" : "asc") : defaults[sort];
}

/** The page size: digits only (no "1e2"), 1 to `max`. */
export function limitParam(max: number) {
  const message = `The page size must be a whole number from 1 to ${max}.`;
  return zod
    .string()
    .regex(/^\d{1,4}$/, { error: message })
    .transform(Number)
    .pipe(zod.number().min(1, { error: message }).max(max, { error: `The page size can be at most ${max}.` }))
    .optional();
}

/**
 * Schema checks at the edge of every service: one way to turn a zod failure into the
 * VALIDATION_FAILED error that forms show beside their fields and the API answers with 422.
 */
import { z as zod, type z } from "zod";
import { AppError, type FieldError } from "@/lib/errors";

export function fieldErrors(error: z.ZodError, field?: string): FieldError[] {
  return error.issues.map((issue) => ({ field: issue.path.length ? issue.path.join(".") : (field ?? ""), message: issue.message }));
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

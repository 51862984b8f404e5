/**
 * The event stream's query string back into a LiveFilter (live-url.ts builds it): exactly one
 * known parameter, once, with a valid value; anything else is VALIDATION_FAILED (422), so a
 * mistyped filter fails loudly instead of streaming nothing or everything.
 */
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validation";
import { MAX_LIVE_JOBS, type LiveFilter, type LiveFilterKind, type LiveFilters } from "./live-url";

const JOB_ID = "jobs: a job id is a whole number from 1";
const id = z.coerce.number<string>({ error: JOB_ID }).int(JOB_ID).positive(JOB_ID).max(2 ** 31 - 1, JOB_ID);

const PARAM_SCHEMAS: { [K in LiveFilterKind]: z.ZodType<LiveFilters[K], string> } = {
  device: z
    .string()
    .trim()
    .min(1, "device: give the device's X-Device-UUID")
    .max(256, "device: an X-Device-UUID is at most 256 characters")
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "device: no control characters"),
  jobs: z
    .string()
    .transform((v) => (v === "" ? [] : v.split(",")))
    .pipe(z.array(id, "jobs: comma-separated job ids").min(1, "jobs: name at least one job id").max(MAX_LIVE_JOBS, `jobs: at most ${MAX_LIVE_JOBS} ids`))
    .transform((ids) => [...new Set(ids)]),
  log: z.literal(["", "1"], "log: give it no value (?log)").transform(() => true as const),
};

const KINDS = Object.keys(PARAM_SCHEMAS) as LiveFilterKind[];

function invalid(field: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", message, { fields: [{ field, message }] });
}

export function parseLiveQuery(params: URLSearchParams): LiveFilter {
  const names = [...new Set(params.keys())];
  const unknown = names.filter((n) => !(KINDS as string[]).includes(n));
  if (unknown.length > 0) throw invalid(unknown[0]!, `Unknown parameter "${unknown[0]}": use one of ${KINDS.join(", ")}.`);
  if (names.length !== 1) throw invalid("", `Name exactly one of ${KINDS.join(", ")}.`);
  const kind = names[0] as LiveFilterKind;
  const values = params.getAll(kind);
  if (values.length > 1) throw invalid(kind, `${kind}: give it once.`);
  // Parsed as an object so an issue's path names the parameter ("jobs.1": the second id).
  return parseOrThrow(z.object({ [kind]: PARAM_SCHEMAS[kind] }), { [kind]: values[0] }) as unknown as LiveFilter;
}

/**
 * The jobs list's address (the /jobs page and GET /api/v1/jobs): filters, sort and page
 * position, parsed and checked by one schema before anything reaches SQL, and written back
 * into links. A bad value is an issue with a message (the page shows it, the API answers 422),
 * never a value passed on. Pure.
 *
 *   /jobs?software=3&software=7&state=failed&status=Installation+failed&method=SMS_PUSH
 *        &device=<uuid>&batch=12&sort=updated&dir=desc&cursor=…&limit=50
 *
 * Values of one filter are OR-ed, filters AND-ed. `state` is the library's classification
 * (installed, inProgress, failed: status-model.ts jobStateOf; cancelled jobs are in none), so a
 * count on the library's pages links to exactly the jobs it counted; `status` takes exact
 * statuses by their display texts, as the API shows them.
 */
import { z } from "zod";
import { cursorParam, encodeCursor, type Cursor, type KeysetSpec, type SortDir } from "@/lib/db/keyset";
import { deviceUuidSchema } from "@/lib/devices/device-schemas";
import { dirParam, enumValues, idParam, limitParam, nextSortDir, type Parsed, parseListValues, quoted, type SearchParamsInput, sortParam, valueOrThrow } from "@/lib/validation";
import { INSTALL_METHODS, JOB_STATES, JOB_STATUSES, statusFromLabel, statusLabel, type InstallMethod, type JobStateName, type JobStatus } from "./status-model";

export const JOB_SORTS = ["created", "updated"] as const;
export type JobSort = (typeof JOB_SORTS)[number];

/** The only SQL a sort parameter can select; each has an index on (column, id). */
export const JOB_KEYSET: KeysetSpec<JobSort> = {
  columns: {
    created: { sql: "j.created_at", type: "timestamp", nullable: false },
    updated: { sql: "j.updated_at", type: "timestamp", nullable: false },
  },
  id: { sql: "j.id", type: "int" },
};

/** Newest first, whichever time is the sort. */
export const DEFAULT_DIR: { [S in JobSort]: SortDir } = { created: "desc", updated: "desc" };
export const DEFAULT_SORT: JobSort = "created";
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export type JobListParams = {
  software: number[];
  state: JobStateName[];
  status: JobStatus[];
  method: InstallMethod[];
  /** One device, by its X-Device-UUID. */
  device: string | null;
  /** One install batch (the Installation status view's jobs). */
  batch: number | null;
  sort: JobSort;
  dir: SortDir;
  cursor: Cursor<JobSort> | null;
  limit: number;
};

export const DEFAULT_JOB_LIST: JobListParams = {
  software: [],
  state: [],
  status: [],
  method: [],
  device: null,
  batch: null,
  sort: DEFAULT_SORT,
  dir: DEFAULT_DIR[DEFAULT_SORT],
  cursor: null,
  limit: DEFAULT_LIMIT,
};

const MULTI = ["software", "state", "status", "method"] as const;
const SINGLE = ["device", "batch", "sort", "dir", "cursor", "limit"] as const;

const STATUS_TEXTS = JOB_STATUSES.map(statusLabel);

/**
 * The address's schema, over the raw values `listParamValues` gathers (a repeatable key is an
 * array). Also the query parameters of GET /api/v1/jobs in the OpenAPI document.
 */
export const jobListQuerySchema = z.object({
  software: z.array(idParam("software")).max(50, { error: "At most 50 software filters at once." }),
  state: enumValues("state", JOB_STATES),
  status: z
    .array(
      z.string().transform((text, ctx) => {
        const status = statusFromLabel(text);
        if (status === null) ctx.addIssue({ code: "custom", message: `${quoted(text)} is not a status; use one of the display texts: ${STATUS_TEXTS.join(", ")}.` });
        return status ?? z.NEVER;
      }),
    )
    .max(50, { error: "At most 50 status filters at once." })
    .meta({ description: `Exact statuses by their display texts: ${STATUS_TEXTS.join(", ")}` }),
  method: enumValues("method", INSTALL_METHODS),
  device: deviceUuidSchema.optional().meta({ description: "A device's X-Device-UUID" }),
  batch: idParam("install batch").optional(),
  sort: sortParam(JOB_SORTS),
  dir: dirParam,
  cursor: z.string().optional().meta({ description: "The page position: `next` of the previous answer" }),
  limit: limitParam(MAX_LIMIT),
});

/** Parses the list's search parameters; unknown parameters are ignored, bad values are issues. */
export function parseJobListParams(input: SearchParamsInput): Parsed<JobListParams> {
  const parsed = parseListValues(jobListQuerySchema, input, SINGLE, MULTI);
  if (!parsed.ok) return parsed;

  const p = parsed.value;
  const sort = p.sort ?? DEFAULT_SORT;
  const dir = p.dir ?? DEFAULT_DIR[sort];
  const cursor = cursorParam(JOB_KEYSET, p.cursor, sort, dir);
  if (!cursor.ok) return cursor;
  return {
    ok: true,
    value: {
      software: [...new Set(p.software)],
      state: p.state,
      status: [...new Set(p.status)],
      method: p.method,
      device: p.device ?? null,
      batch: p.batch ?? null,
      sort,
      dir,
      cursor: cursor.value,
      limit: p.limit ?? DEFAULT_LIMIT,
    },
  };
}

/** The same, throwing VALIDATION_FAILED (the JSON API answers it 422 with its fields). */
export function jobListParamsOrThrow(input: SearchParamsInput): JobListParams {
  return valueOrThrow(parseJobListParams(input));
}

export function hasJobFilters(p: JobListParams): boolean {
  return p.device !== null || p.batch !== null || MULTI.some((k) => p[k].length > 0);
}

/** The search parameters of a list state, defaults left out (so links stay short and stable). */
export function jobListQuery(p: JobListParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const v of p.software) out.append("software", String(v));
  for (const v of p.state) out.append("state", v);
  for (const v of p.status) out.append("status", statusLabel(v));
  for (const v of p.method) out.append("method", v);
  if (p.device) out.set("device", p.device);
  if (p.batch) out.set("batch", String(p.batch));
  if (p.sort !== DEFAULT_SORT) out.set("sort", p.sort);
  if (p.dir !== DEFAULT_DIR[p.sort]) out.set("dir", p.dir);
  if (p.cursor) out.set("cursor", encodeCursor(p.cursor));
  if (p.limit !== DEFAULT_LIMIT) out.set("limit", String(p.limit));
  return out;
}

export const JOBS_PATH = "/jobs";

/** A link to the list in another state: `patch` over `p` (the defaults when `p` is omitted). */
export function jobListHref(p: JobListParams = DEFAULT_JOB_LIST, patch: Partial<JobListParams> = {}): string {
  const query = jobListQuery({ ...p, ...patch }).toString();
  return query ? `${JOBS_PATH}?${query}` : JOBS_PATH;
}

/** The header link of a column: the other direction when it is the sort, else its own first; page 1. */
export function jobSortHref(p: JobListParams, sort: JobSort): string {
  return jobListHref(p, { sort, dir: nextSortDir(p, sort, DEFAULT_DIR), cursor: null });
}

/** Where each of a library entry's counts links: the jobs it counted (the same state classification). */
export function softwareCountHrefs(softwareId: number): { [S in JobStateName]: string } {
  const href = (state: JobStateName) => jobListHref(DEFAULT_JOB_LIST, { software: [softwareId], state: [state] });
  return { installed: href("installed"), inProgress: href("inProgress"), failed: href("failed") };
}

/**
 * The installation log's address: filters and page position, parsed and checked by one schema
 * before anything reaches SQL, and written back into links (the page, its CSV export and
 * GET /api/v1/log take the same parameters). Pure.
 *
 *   /log?device=HAM-0421&software=3&status=Installation+failed&messageId=11032
 *       &from=2026-11-01T00:00&before=2026-12-01T00:00&q=timeout&cursor=…&limit=50
 *
 * Values of one filter are OR-ed, filters are AND-ed. Times are UTC, as the console shows them.
 * Rows come newest first: by id (the order reports were applied in), or, with a time range, by
 * (received_at, id), so the range is one walk of that index.
 */
import { z } from "zod";
import { cursorParam, encodeCursor, type Cursor, type KeysetSpec } from "@/lib/db/keyset";
import { JOB_STATUSES, statusLabel, type JobStatus } from "@/lib/installation-jobs/status-model";
import { idParam, limitParam, type Parsed, parseListValues, quoted, type SearchParamsInput, valueOrThrow } from "@/lib/validation";

export type LogSort = "id" | "receivedAt";

/** The only SQL the order can select: the primary key, and the (received_at, id) index. */
export const LOG_KEYSET: KeysetSpec<LogSort> = {
  columns: {
    id: { sql: "l.id", type: "bigint", nullable: false },
    receivedAt: { sql: "l.received_at", type: "timestamp", nullable: false },
  },
  id: { sql: "l.id", type: "bigint" },
};

export const LOG_PATH = "/log";
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
export const MIN_TEXT = 3;

/** The device status reports the status model knows (seed 003); others can be typed into the address. */
export const KNOWN_MESSAGE_IDS = ["11030", "11031", "11032", "11035"] as const;

export type LogListParams = {
  /** Device UUIDs or parts of device names. */
  device: string[];
  /** Software library ids. */
  software: number[];
  /** The job status a row left the job in (status_after). */
  status: JobStatus[];
  messageId: string[];
  /** Received at or after. */
  from: Date | null;
  /** Received before. */
  before: Date | null;
  /** Part of the event text as the log describes it. */
  q: string | null;
  cursor: Cursor<LogSort> | null;
  limit: number;
};

export const DEFAULT_LOG_LIST: LogListParams = { device: [], software: [], status: [], messageId: [], from: null, before: null, q: null, cursor: null, limit: DEFAULT_LIMIT };

const MULTI = ["device", "software", "status", "messageId"] as const;
const SINGLE = ["from", "before", "q", "cursor", "limit"] as const;

const textOf = (what: string) =>
  z
    .string()
    .max(100, { error: `${what} can be at most 100 characters.` })
    // PostgreSQL refuses NUL in text; nothing the log holds has one.
    .refine((v) => !v.includes("\u0000"), { error: `${what} cannot contain a NUL character.` });

/** A status by its display text; a plain hyphen stands for the en dash people rarely type. */
const STATUS_BY_TEXT = new Map(JOB_STATUSES.map((s) => [statusLabel(s).toLowerCase(), s]));
export function statusFromText(text: string): JobStatus | null {
  return STATUS_BY_TEXT.get(text.trim().replace(/ - /g, " \u2013 ").toLowerCase()) ?? null;
}

/**
 * A time from a datetime-local input ("2026-11-20T14:30", seconds optional), read as UTC, or an
 * ISO time with its offset (from scripts). Null when it is neither, or no such day.
 */
export function parseLogTime(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "00", frac = "", zone = "Z"] = m;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone}`);
  if (Number.isNaN(date.getTime())) return null;
  // Date rolls 2026-02-31 over into March: a date that does not exist is refused.
  if (zone === "Z" && date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return null;
  return date;
}

/** The form a datetime-local input shows (UTC; seconds and milliseconds only when there are some). */
export function logTimeInputValue(date: Date | null): string {
  if (!date) return "";
  const iso = date.toISOString();
  return iso.slice(19, 23) !== ".000" ? iso.slice(0, 23) : iso.slice(17, 19) !== "00" ? iso.slice(0, 19) : iso.slice(0, 16);
}

const timeField = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return null;
      const date = parseLogTime(v);
      if (!date) {
        ctx.addIssue({ code: "custom", message: `${quoted(v)} is not a date and time; use YYYY-MM-DDTHH:MM (UTC), e.g. 2026-11-20T14:30.` });
        return z.NEVER;
      }
      return date;
    })
    .meta({ description: `${name}: YYYY-MM-DDTHH:MM[:SS] in UTC, or an ISO time with its offset` });

/** The schema of the address, also what the OpenAPI document lists as GET /api/v1/log's query. */
export const logListQuerySchema = z
  .object({
    device: z
      .array(
        textOf("A device")
          .trim()
          // A part of a name is found by a trigram index: shorter parts would read every device.
          .refine((v) => v.length >= MIN_TEXT, { error: `A device is its UUID or at least ${MIN_TEXT} characters of its name.` }),
      )
      .max(50, { error: "At most 50 devices at once." })
      .meta({ description: "Device UUID or part of its name (repeat for several)" }),
    software: z
      .array(idParam("software"))
      .max(50, { error: "At most 50 software entries at once." })
      .meta({ description: "Software library id (repeat for several)" }),
    status: z
      .array(
        z.string().transform((v, ctx) => {
          const status = statusFromText(v);
          if (!status) {
            ctx.addIssue({ code: "custom", message: `${quoted(v)} is not a status; use one of ${JOB_STATUSES.map(statusLabel).join(", ")}.` });
            return z.NEVER;
          }
          return status;
        }),
      )
      .meta({ description: "The status the event left the job in, as its display text (repeat for several)" }),
    messageId: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9._-]{1,20}$/, { error: (iss) => `${quoted(iss.input)} is not a message ID (e.g. 11030, 11031, 11032, 11035).` }),
      )
      .max(50, { error: "At most 50 message IDs at once." })
      .meta({ description: "messageID of a device status report, e.g. 11032 (repeat for several)" }),
    from: timeField("Received at or after"),
    before: timeField("Received before"),
    q: textOf("The text")
      .trim()
      .refine((v) => v === "" || v.length >= MIN_TEXT, { error: `Search for at least ${MIN_TEXT} characters of the event text.` })
      .optional()
      .meta({ description: "Part of the event's text, as the log describes it" }),
    cursor: z.string().optional().meta({ description: "The page position, from a previous answer's next or previous" }),
    limit: limitParam(MAX_LIMIT),
  })
  .superRefine((p, ctx) => {
    if (p.from && p.before && p.from.getTime() > p.before.getTime()) {
      ctx.addIssue({ code: "custom", path: ["from"], message: `The range starts (${p.from.toISOString()}) after it ends (${p.before.toISOString()}); "from" must be earlier than "before".` });
    }
  });

/** The order a filter reads in: a time range walks the receive-time index. */
export function logSortOf(p: Pick<LogListParams, "from" | "before">): LogSort {
  return p.from || p.before ? "receivedAt" : "id";
}

/** Parses the log's search parameters; unknown parameters are ignored, bad values are issues. */
export function parseLogListParams(input: SearchParamsInput): Parsed<LogListParams> {
  const parsed = parseListValues(logListQuerySchema, input, SINGLE, MULTI);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  const cursor = cursorParam(LOG_KEYSET, p.cursor, logSortOf(p), "desc");
  if (!cursor.ok) return cursor;
  return {
    ok: true,
    value: {
      device: p.device,
      software: [...new Set(p.software)],
      status: [...new Set(p.status)],
      messageId: p.messageId,
      from: p.from,
      before: p.before,
      q: p.q || null,
      cursor: cursor.value,
      limit: p.limit ?? DEFAULT_LIMIT,
    },
  };
}

/** The same, throwing VALIDATION_FAILED (the JSON API answers it 422 with its fields). */
export function logListParamsOrThrow(input: SearchParamsInput): LogListParams {
  return valueOrThrow(parseLogListParams(input));
}

export function hasLogFilters(p: LogListParams): boolean {
  return p.q !== null || p.from !== null || p.before !== null || MULTI.some((k) => p[k].length > 0);
}

/** The search parameters of a log state, defaults left out (so links stay short and stable). */
export function logListQuery(p: LogListParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const v of p.device) out.append("device", v);
  for (const v of p.software) out.append("software", String(v));
  for (const v of p.status) out.append("status", statusLabel(v));
  for (const v of p.messageId) out.append("messageId", v);
  if (p.from) out.set("from", logTimeInputValue(p.from));
  if (p.before) out.set("before", logTimeInputValue(p.before));
  if (p.q) out.set("q", p.q);
  if (p.cursor) out.set("cursor", encodeCursor(p.cursor));
  if (p.limit !== DEFAULT_LIMIT) out.set("limit", String(p.limit));
  return out;
}

/** A link to the log in another state: `patch` over `p`. */
export function logListHref(p: LogListParams, patch: Partial<LogListParams> = {}, path = LOG_PATH): string {
  const query = logListQuery({ ...p, ...patch }).toString();
  return query ? `${path}?${query}` : path;
}

/** The CSV export of what the filters show: every matching row, so no page position. */
export function logExportHref(p: LogListParams): string {
  return logListHref(p, { cursor: null, limit: DEFAULT_LIMIT }, `${LOG_PATH}/export.csv`);
}

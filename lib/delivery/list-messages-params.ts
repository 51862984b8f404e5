/**
 * The Outbox's address (the /outbox page and GET /api/v1/messages): filters and page position,
 * parsed and checked by one schema before anything reaches SQL, and written back into links. A
 * bad value is an issue with a message (the page shows it, the API answers 422), never a value
 * passed on. Pure.
 *
 *   /outbox?kind=SMS_PUSH&state=queued&state=retrying&q=+4915512&job=12&device=<uuid>&dir=desc&cursor=…&limit=50
 *
 * Values of one filter are OR-ed, filters AND-ed. `q` finds the messages of the devices whose
 * phone number or X-Device-UUID contains it (list-messages.ts); `job` and `device` are what the
 * job page and the device page link to. One order, by creation (message ids are taken at
 * insert, so newest first is highest id first), either way.
 */
import { z } from "zod";
import { cursorParam, encodeCursor, type Cursor, type KeysetSpec, type SortDir } from "@/lib/db/keyset";
import { deviceUuidSchema } from "@/lib/devices/device-schemas";
import { dirParam, enumValues, idParam, limitParam, nextSortDir, type Parsed, parseListValues, type SearchParamsInput, sortParam, valueOrThrow } from "@/lib/validation";
import type { OutboundKind } from "./delivery";
import { MESSAGE_STATES, type MessageState } from "./message-state";
import { MESSAGE_KINDS, OUTBOX_PATH } from "./message-view";

export const MESSAGE_SORTS = ["created"] as const;
export type MessageSort = (typeof MESSAGE_SORTS)[number];

/** The only SQL the sort can select: the id (the primary key's order is the creation order). */
export const MESSAGE_KEYSET: KeysetSpec<MessageSort> = {
  columns: { created: { sql: "m.id", type: "bigint", nullable: false } },
  id: { sql: "m.id", type: "bigint" },
};

export const DEFAULT_DIR: { [S in MessageSort]: SortDir } = { created: "desc" };
export const DEFAULT_SORT: MessageSort = "created";
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
/** Trigram indexes need three characters; fewer would read every device. */
export const MIN_SEARCH = 3;

export type MessageListParams = {
  kind: OutboundKind[];
  state: MessageState[];
  /** Part of a phone number or of an X-Device-UUID. */
  q: string | null;
  job: number | null;
  /** One device, by its X-Device-UUID. */
  device: string | null;
  sort: MessageSort;
  dir: SortDir;
  cursor: Cursor<MessageSort> | null;
  limit: number;
};

export const DEFAULT_MESSAGE_LIST: MessageListParams = {
  kind: [],
  state: [],
  q: null,
  job: null,
  device: null,
  sort: DEFAULT_SORT,
  dir: DEFAULT_DIR[DEFAULT_SORT],
  cursor: null,
  limit: DEFAULT_LIMIT,
};

const MULTI = ["kind", "state"] as const;
const SINGLE = ["q", "job", "device", "sort", "dir", "cursor", "limit"] as const;

/** The address's schema over the raw values `listParamValues` gathers; also GET /api/v1/messages's query in the OpenAPI document. */
export const messageListQuerySchema = z.object({
  kind: enumValues("kind", MESSAGE_KINDS).meta({ description: "SMS_PUSH, WAP_PUSH or BOOTSTRAP" }),
  state: enumValues("state", MESSAGE_STATES).meta({ description: `The message's state: ${MESSAGE_STATES.join(", ")}` }),
  q: z
    .string()
    .trim()
    .min(MIN_SEARCH, { error: `Search with at least ${MIN_SEARCH} characters of a phone number or device UUID.` })
    .max(100, { error: "Search with at most 100 characters." })
    .optional()
    .meta({ description: "Part of the recipient's phone number (spaces and dashes allowed) or of the device's X-Device-UUID" }),
  job: idParam("job").optional().meta({ description: "One installation job's messages" }),
  device: deviceUuidSchema.optional().meta({ description: "A device's X-Device-UUID" }),
  sort: sortParam(MESSAGE_SORTS),
  dir: dirParam,
  cursor: z.string().optional().meta({ description: "The page position: `next` of the previous answer" }),
  limit: limitParam(MAX_LIMIT),
});

/** Parses the Outbox's search parameters; unknown parameters are ignored, bad values are issues. */
export function parseMessageListParams(input: SearchParamsInput): Parsed<MessageListParams> {
  const parsed = parseListValues(messageListQuerySchema, input, SINGLE, MULTI);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  const sort = p.sort ?? DEFAULT_SORT;
  const dir = p.dir ?? DEFAULT_DIR[sort];
  const cursor = cursorParam(MESSAGE_KEYSET, p.cursor, sort, dir);
  if (!cursor.ok) return cursor;
  return {
    ok: true,
    value: { kind: p.kind, state: p.state, q: p.q ?? null, job: p.job ?? null, device: p.device ?? null, sort, dir, cursor: cursor.value, limit: p.limit ?? DEFAULT_LIMIT },
  };
}

/** The same, throwing VALIDATION_FAILED (the JSON API answers it 422 with its fields). */
export function messageListParamsOrThrow(input: SearchParamsInput): MessageListParams {
  return valueOrThrow(parseMessageListParams(input));
}

export function hasMessageFilters(p: MessageListParams): boolean {
  return p.q !== null || p.job !== null || p.device !== null || MULTI.some((k) => p[k].length > 0);
}

/** The search parameters of a list state, defaults left out (so links stay short and stable). */
export function messageListQuery(p: MessageListParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const v of p.kind) out.append("kind", v);
  for (const v of p.state) out.append("state", v);
  if (p.q) out.set("q", p.q);
  if (p.job !== null) out.set("job", String(p.job));
  if (p.device) out.set("device", p.device);
  if (p.sort !== DEFAULT_SORT) out.set("sort", p.sort);
  if (p.dir !== DEFAULT_DIR[p.sort]) out.set("dir", p.dir);
  if (p.cursor) out.set("cursor", encodeCursor(p.cursor));
  if (p.limit !== DEFAULT_LIMIT) out.set("limit", String(p.limit));
  return out;
}

/** A link to the Outbox in another state: `patch` over `p` (the defaults when `p` is omitted). */
export function messageListHref(p: MessageListParams = DEFAULT_MESSAGE_LIST, patch: Partial<MessageListParams> = {}): string {
  const query = messageListQuery({ ...p, ...patch }).toString();
  return query ? `${OUTBOX_PATH}?${query}` : OUTBOX_PATH;
}

/** The Created header's link: the other direction, page 1. */
export function messageSortHref(p: MessageListParams, sort: MessageSort): string {
  return messageListHref(p, { sort, dir: nextSortDir(p, sort, DEFAULT_DIR), cursor: null });
}

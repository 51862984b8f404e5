/**
 * The devices list's address: search, filters, sort and page position, parsed and checked by
 * one schema before anything reaches SQL, and written back into links. An unknown sort column
 * or a malformed cursor is an issue with a message the page shows (the JSON API answers 422),
 * never a value passed on. Pure.
 *
 *   /devices?q=scanner&platform=Windows+CE+6.0&platform=PocketPC+2003&lastContact=overdue
 *           &jobState=attention&sort=lastContact&dir=desc&cursor=…&limit=50
 *
 * Values of one filter are OR-ed, filters are AND-ed. Three filters name things that live in
 * other tables and are resolved before the query (resolve-device-filters.ts): `group` (a device
 * group: its members, or what its saved filter matches), `clientBelow` (a client version lower
 * than this one: the install wizard's preset for a DME client) and `hide` (devices already on
 * their platform's default DME client build, or on a test build).
 */
import { z } from "zod";
import { cursorParam, encodeCursor, type Cursor, type KeysetSpec, type SortDir } from "@/lib/db/keyset";
import { dirParam, enumValues, idParam, limitParam, nextSortDir, type Parsed, parseListValues, type SearchParamsInput, sortParam, valueOrThrow } from "@/lib/validation";

export const DEVICE_SORTS = ["name", "lastContact", "platform", "clientVersion"] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

/** The only SQL a sort parameter can select; each has an index on (column, id). */
export const DEVICE_KEYSET: KeysetSpec<DeviceSort> = {
  columns: {
    name: { sql: "d.name", type: "text", nullable: false },
    lastContact: { sql: "d.last_contact_at", type: "timestamp", nullable: true },
    platform: { sql: "d.platform", type: "text", nullable: true },
    clientVersion: { sql: "d.client_version", type: "text", nullable: true },
  },
  id: { sql: "d.id", type: "int" },
};

/** The direction a column starts in: names A–Z, the most recent contact first. */
export const DEFAULT_DIR: { [S in DeviceSort]: SortDir } = { name: "asc", lastContact: "desc", platform: "asc", clientVersion: "asc" };
export const DEFAULT_SORT: DeviceSort = "name";
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
export const MIN_SEARCH = 3;

export const LAST_CONTACT_FILTERS = ["overdue", "today", "week", "older", "never"] as const;
export type LastContactFilter = (typeof LAST_CONTACT_FILTERS)[number];
export const LAST_CONTACT_LABELS: { [F in LastContactFilter]: string } = {
  overdue: "Overdue (no poll for 2 poll intervals)",
  today: "Within 24 hours",
  week: "Within 7 days",
  older: "More than 7 days ago",
  never: "Never",
};

export const JOB_STATE_FILTERS = ["installing", "attention", "installed", "none"] as const;
export type JobStateFilter = (typeof JOB_STATE_FILTERS)[number];
export const JOB_STATE_LABELS: { [F in JobStateFilter]: string } = {
  installing: "Installing",
  attention: "Needs attention",
  installed: "Installed",
  none: "No jobs",
};

export const HIDE_FILTERS = ["default", "test"] as const;
export type HideFilter = (typeof HIDE_FILTERS)[number];
export const HIDE_LABELS: { [F in HideFilter]: string } = {
  default: "Devices on the default build",
  test: "Devices on a test build",
};

export type DeviceListParams = {
  /** Part of a name, device UUID or phone number. */
  q: string | null;
  platform: string[];
  clientVersion: string[];
  lastContact: LastContactFilter[];
  jobState: JobStateFilter[];
  /** Device group ids: members of any of them. */
  group: number[];
  /** A DME client version: devices running a lower one (versions.ts orders them). */
  clientBelow: string | null;
  hide: HideFilter[];
  sort: DeviceSort;
  dir: SortDir;
  cursor: Cursor<DeviceSort> | null;
  limit: number;
};

export const DEFAULT_DEVICE_LIST: DeviceListParams = {
  q: null,
  platform: [],
  clientVersion: [],
  lastContact: [],
  jobState: [],
  group: [],
  clientBelow: null,
  hide: [],
  sort: DEFAULT_SORT,
  dir: DEFAULT_DIR[DEFAULT_SORT],
  cursor: null,
  limit: DEFAULT_LIMIT,
};

const MULTI = ["platform", "clientVersion", "lastContact", "jobState", "group", "hide"] as const;
const SINGLE = ["q", "clientBelow", "sort", "dir", "cursor", "limit"] as const;

const values = (label: string) =>
  z
    .array(z.string().trim().min(1).max(100, { error: `A ${label} can be at most 100 characters.` }))
    .max(50, { error: `At most 50 ${label}s at once.` });

/** The list's parameters one by one (the OpenAPI document lists them from here). */
export const deviceListQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(100, { error: "The search can be at most 100 characters." })
    // Trigram indexes find parts of 3 characters or more; a shorter part would be a scan of
    // every device for a result nobody can page through.
    .refine((q) => q === "" || q.length >= MIN_SEARCH, { error: `Search for at least ${MIN_SEARCH} characters of a name, device UUID or phone number.` })
    // PostgreSQL refuses NUL in text; no name, UUID or number holds one.
    .refine((q) => !q.includes("\u0000"), { error: "The search cannot contain a NUL character." })
    .optional(),
  platform: values("platform"),
  clientVersion: values("client version"),
  lastContact: enumValues("last-contact", LAST_CONTACT_FILTERS),
  jobState: enumValues("job-state", JOB_STATE_FILTERS),
  group: z.array(idParam("device group")).max(20, { error: "At most 20 groups at once." }),
  clientBelow: z.string().trim().max(100, { error: "A client version can be at most 100 characters." }).optional(),
  hide: enumValues("hide", HIDE_FILTERS),
  sort: sortParam(DEVICE_SORTS),
  dir: dirParam,
  cursor: z.string().optional(),
  limit: limitParam(MAX_LIMIT),
});

/** Parses the list's search parameters; unknown parameters are ignored, bad values are issues. */
export function parseDeviceListParams(input: SearchParamsInput): Parsed<DeviceListParams> {
  const parsed = parseListValues(deviceListQuerySchema, input, SINGLE, MULTI);
  if (!parsed.ok) return parsed;

  const p = parsed.value;
  const sort = p.sort ?? DEFAULT_SORT;
  const dir = p.dir ?? DEFAULT_DIR[sort];
  const cursor = cursorParam(DEVICE_KEYSET, p.cursor, sort, dir);
  if (!cursor.ok) return cursor;
  return {
    ok: true,
    value: {
      q: p.q || null,
      platform: p.platform,
      clientVersion: p.clientVersion,
      lastContact: p.lastContact,
      jobState: p.jobState,
      group: p.group,
      clientBelow: p.clientBelow || null,
      hide: p.hide,
      sort,
      dir,
      cursor: cursor.value,
      limit: p.limit ?? DEFAULT_LIMIT,
    },
  };
}

/** The same, throwing VALIDATION_FAILED (the JSON API answers it 422 with its fields). */
export function deviceListParamsOrThrow(input: SearchParamsInput): DeviceListParams {
  return valueOrThrow(parseDeviceListParams(input));
}

export function hasFilters(p: DeviceListParams): boolean {
  return p.q !== null || p.clientBelow !== null || MULTI.some((k) => p[k].length > 0);
}

/** The search parameters of a list state, defaults left out (so links stay short and stable). */
export function deviceListQuery(p: DeviceListParams): URLSearchParams {
  const out = new URLSearchParams();
  if (p.q) out.set("q", p.q);
  for (const key of MULTI) for (const v of p[key]) out.append(key, String(v));
  if (p.clientBelow) out.set("clientBelow", p.clientBelow);
  if (p.sort !== DEFAULT_SORT) out.set("sort", p.sort);
  if (p.dir !== DEFAULT_DIR[p.sort]) out.set("dir", p.dir);
  if (p.cursor) out.set("cursor", encodeCursor(p.cursor));
  if (p.limit !== DEFAULT_LIMIT) out.set("limit", String(p.limit));
  return out;
}

export const DEVICES_PATH = "/devices";

/**
 * Where a devices list lives: the devices page, or another page that shows one (the install
 * wizard's device picker), with the parameters of its own it keeps on every link.
 */
export type DeviceListBase = { path: string; fixed?: [string, string][] };
const DEVICES_BASE: DeviceListBase = { path: DEVICES_PATH };

/** A link to the list in another state: `patch` over `p`. */
export function deviceListHref(p: DeviceListParams, patch: Partial<DeviceListParams> = {}, base: DeviceListBase = DEVICES_BASE): string {
  const query = new URLSearchParams(base.fixed ?? []);
  for (const [k, v] of deviceListQuery({ ...p, ...patch })) query.append(k, v);
  const text = query.toString();
  return text ? `${base.path}?${text}` : base.path;
}

/** The header link of a column: the other direction when it is the sort, else its own first; page 1. */
export function sortHref(p: DeviceListParams, sort: DeviceSort, base: DeviceListBase = DEVICES_BASE): string {
  return deviceListHref(p, { sort, dir: nextSortDir(p, sort, DEFAULT_DIR), cursor: null }, base);
}

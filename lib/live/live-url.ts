/**
 * What a page follows live, and the URL of its event stream (app/api/live/route.ts). Pure and
 * client-safe: the browser component builds the URL from it and the route parses the same
 * names back (live-query.ts), so the two cannot drift.
 *
 * EXTENSION POINT — a new live view (the Installation status view of an install batch:
 * `batch=<id>`) adds one key to LiveFilters below. The compiler then asks for its encoding
 * here (LIVE_PARAM_ENCODERS), its schema in live-query.ts and its filter in live-filters.ts.
 */
export type LiveFilters = {
  /** An X-Device-UUID: changes to that device's jobs and log (the device page). */
  device: string;
  /** Job ids: changes to any of them (an install batch's jobs, until batches have their own table). */
  jobs: readonly number[];
  /** Every change (the log page). */
  log: true;
  // batch: number;
};

export type LiveFilterKind = keyof LiveFilters;
/** Exactly one kind: `{ device: "…" }`, `{ jobs: [1, 2] }`, `{ log: true }`. */
export type LiveFilter = { [K in LiveFilterKind]: { [P in K]: LiveFilters[K] } & { [P in Exclude<LiveFilterKind, K>]?: never } }[LiveFilterKind];

export const LIVE_PATH = "/api/live";
/** A longer list would make a URL some proxies refuse; a view with more jobs follows its batch. */
export const MAX_LIVE_JOBS = 500;

/** Each kind's query value (null: the parameter stands alone, `?log`). */
export const LIVE_PARAM_ENCODERS: { [K in LiveFilterKind]: (value: LiveFilters[K]) => string | null } = {
  device: (uuid) => uuid,
  jobs: (ids) => ids.join(","),
  log: () => null,
};

export function liveFilterKind(filter: LiveFilter): LiveFilterKind {
  const kinds = (Object.keys(filter) as LiveFilterKind[]).filter((k) => filter[k] !== undefined);
  if (kinds.length !== 1) throw new Error(`a live filter names exactly one kind, not ${kinds.join(", ") || "none"}`);
  return kinds[0]!;
}

export function liveUrl(filter: LiveFilter): string {
  const kind = liveFilterKind(filter);
  const value = (LIVE_PARAM_ENCODERS[kind] as (v: unknown) => string | null)(filter[kind]);
  return value === null ? `${LIVE_PATH}?${kind}` : `${LIVE_PATH}?${kind}=${encodeURIComponent(value)}`;
}

/**
 * "Something changed": what the job writer announces with every write of jobs and log rows, and
 * what the change bus hands to its subscribers. One shape for both sources (a NOTIFY payload, or
 * log rows read back by the poll and the catch-up), holding just enough for a consumer to decide
 * without a query whether it cares: the log rows, the devices and the jobs touched.
 *
 * Pure: the SQL below is text for the writer's statements, run nowhere here.
 */

export const CHANGE_CHANNEL = "deploydesk_changes";

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (BLCKSZ - NAMEDATALEN - 128, the
 * default build): the statement would fail, and with it the write it announces.
 */
export const NOTIFY_PAYLOAD_LIMIT = 8000;

export type ChangeEvent = {
  /** installation_log ids written; null when there were too many to list (see logRange). */
  logIds: number[] | null;
  /** The lowest and highest of them; null only for a notice that could not be read. */
  logRange: [number, number] | null;
  /** Devices whose jobs or log changed; null when unknown (too many to list): every device may have. */
  deviceIds: number[] | null;
  /** Jobs changed or logged about; null when unknown. */
  jobIds: number[] | null;
};

/** A change nobody can narrow down: every consumer refetches what it shows. */
export const EVERYTHING_CHANGED: ChangeEvent = { logIds: null, logRange: null, deviceIds: null, jobIds: null };

export function touchesDevice(event: ChangeEvent, deviceId: number): boolean {
  return event.deviceIds === null || event.deviceIds.includes(deviceId);
}

export function touchesAnyJob(event: ChangeEvent, jobIds: ReadonlySet<number>): boolean {
  return event.jobIds === null || event.jobIds.some((id) => jobIds.has(id));
}

/**
 * The payload SQL of the writer's notice, for a statement with a CTE named `logCte` that returns
 * the rows it inserted into installation_log (`id, device_id, job_id`). Evaluates to one row per
 * statement that wrote at least one log row (none otherwise), so a statement announces itself
 * once, whatever its batch size; `pg_notify` in the same statement is delivered at commit, in
 * commit order, and never for a write that rolls back.
 *
 * The payload is compact JSON, `{"l":[log ids],"d":[device ids],"j":[job ids]}`. When it would
 * reach the NOTIFY limit the log ids give way to their range (`"r":[lowest,highest]`), and when
 * even that is too long only the range is left: a coarse "many changed, refetch".
 */
export function changeNoticeSql(logCte: string): string {
  const fits = (text: string) => `octet_length(${text}) < ${NOTIFY_PAYLOAD_LIMIT}`;
  return `SELECT pg_notify('${CHANGE_CHANNEL}', CASE WHEN ${fits("p.full")} THEN p.full WHEN ${fits("p.ranged")} THEN p.ranged ELSE p.coarse END)
      FROM (SELECT string_agg(id::text, ',' ORDER BY id) AS ids,
                   '"r":[' || min(id) || ',' || max(id) || ']' AS range,
                   '"d":[' || string_agg(DISTINCT device_id::text, ',') || '],"j":[' || COALESCE(string_agg(DISTINCT job_id::text, ','), '') || ']' AS touched
              FROM ${logCte}
            HAVING count(*) > 0) agg,
           LATERAL (SELECT '{"l":[' || agg.ids || '],' || agg.touched || '}' AS full,
                           '{' || agg.range || ',' || agg.touched || '}' AS ranged,
                           '{' || agg.range || '}' AS coarse) p`;
}

/**
 * A notice's payload as an event. Anything unreadable (another writer's notice, a newer format)
 * becomes "everything changed": a consumer refetching too much is harmless, missing a change is not.
 */
export function parseChangePayload(payload: string | undefined): ChangeEvent {
  let value: unknown;
  try {
    value = JSON.parse(payload ?? "");
  } catch {
    return EVERYTHING_CHANGED;
  }
  if (typeof value !== "object" || value === null) return EVERYTHING_CHANGED;
  const v = value as Record<string, unknown>;
  const ids = (x: unknown): number[] | null => (Array.isArray(x) && x.every((n) => Number.isSafeInteger(n)) ? (x as number[]) : null);
  const logIds = ids(v.l);
  const listed = logIds && logIds.length > 0 ? ([Math.min(...logIds), Math.max(...logIds)] as [number, number]) : null;
  const range = ids(v.r);
  const logRange = listed ?? (range?.length === 2 ? ([range[0], range[1]] as [number, number]) : null);
  return { logIds, logRange, deviceIds: ids(v.d), jobIds: ids(v.j) };
}

/** Log rows as the poll and the catch-up read them. */
export type LogRow = { id: number; deviceId: number; jobId: number | null };

/** The event for log rows read back (they are everything a write touches: every job change logs). */
export function eventFromRows(rows: readonly LogRow[]): ChangeEvent {
  const logIds = rows.map((r) => r.id).sort((a, b) => a - b);
  return {
    logIds,
    logRange: logIds.length ? [logIds[0]!, logIds[logIds.length - 1]!] : null,
    deviceIds: [...new Set(rows.map((r) => r.deviceId))],
    jobIds: [...new Set(rows.flatMap((r) => (r.jobId === null ? [] : [r.jobId])))],
  };
}

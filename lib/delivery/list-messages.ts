/**
 * The Outbox: one page of outgoing messages for parsed list parameters (list-messages-params.ts),
 * newest first, read by keyset off the primary key (lib/db/keyset.ts), never OFFSET, through the
 * same bounded walk as the jobs list (`filteredSegmentReader`). Conditions that are one index
 * range are part of the walk itself: one device off (device_id, id), one job off (job_id), one
 * state off (state, id); the others (kinds, several states, a search) filter the walked rows and
 * then read the rest as a set. The page's device names are one lookup by id for its rows only.
 * Plain objects out, dates as ISO strings (the table renders on the client too).
 */
import { db } from "@/lib/db/client";
import { fetchKeysetPage, filteredSegmentReader, type Cursor } from "@/lib/db/keyset";
import { likePattern, phoneForm } from "@/lib/devices/list-devices";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OutboundKind } from "./delivery";
import { MESSAGE_KEYSET, type MessageListParams, type MessageSort } from "./list-messages-params";
import { messageSummary } from "./message-view";

export type MessageListRow = {
  id: string;
  kind: OutboundKind;
  jobId: number | null;
  deviceUuid: string;
  deviceName: string;
  recipient: string | null;
  /** What it says in one line (message-view.ts), and for a WAP push the link its SI points at. */
  summary: string;
  link: string | null;
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
};

export type MessageListPage = {
  rows: MessageListRow[];
  next: Cursor<MessageSort> | null;
  previous: Cursor<MessageSort> | null;
  /** The device the `device` filter names, when it exists (the page says whose messages these are). */
  device: { deviceUuid: string; name: string } | null;
};

type StoredMessage = {
  id: bigint;
  kind: OutboundKind;
  jobId: number | null;
  deviceId: number;
  recipient: string | null;
  text: string | null;
  link: string | null;
  server: string | null;
  state: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  createdAt: Date;
};

// Only the content fields the summary reads: a bootstrap's content may grow (a decoded account).
const COLUMNS = Prisma.sql`m.id, m.kind::text AS kind, m.job_id AS "jobId", m.device_id AS "deviceId", m.recipient,
       m.content->>'text' AS text, m.content->>'link' AS link, m.content->>'server' AS server,
       m.state, m.attempts, m.next_attempt_at AS "nextAttemptAt", m.last_error AS "lastError", m.created_at AS "createdAt"`;

/** Rows of the primary key a filtered page walks before reading the rest as a set (as the jobs list). */
export const MESSAGE_WALK_WINDOW = 2000;

/** A search matching at most this many devices filters by their ids (the device index); more, by a subquery. */
export const SEARCH_DEVICES_MAX = 100;

type SearchMatch = { ids: number[] } | { many: Prisma.Sql };

/**
 * The devices a search names: part of the X-Device-UUID (in any case) or of the phone number
 * (typed with spaces or dashes too), through the devices' trigram indexes. Messages are found by their device, not by their own recipient column (no index on it:
 * every state change rewrites a message row, so an index costs each change one more entry): a
 * message sent to a number its device no longer has is found by the device's UUID.
 */
function searchSql(q: string): Prisma.Sql {
  const pattern = likePattern(q);
  const phone = phoneForm(q);
  return Prisma.sql`(d.device_uuid ILIKE ${pattern} OR d.phone_number ILIKE ${phone ? likePattern(phone) : pattern})`;
}

async function matchSearch(q: string): Promise<SearchMatch> {
  const match = searchSql(q);
  const rows = await db().$queryRaw<{ id: number }[]>`SELECT d.id FROM devices d WHERE ${match} LIMIT ${SEARCH_DEVICES_MAX + 1}`;
  return rows.length <= SEARCH_DEVICES_MAX ? { ids: rows.map((r) => r.id) } : { many: match };
}

function joinAnd(parts: Prisma.Sql[]): Prisma.Sql | null {
  return parts.length > 0 ? Prisma.join(parts.map((part) => Prisma.sql`(${part})`), " AND ") : null;
}

/** The walk's own range conditions, and the filters over the walked rows (alias m). */
function filterSql(p: MessageListParams, deviceId: number | null, search: SearchMatch | null): { walk: Prisma.Sql | null; filter: Prisma.Sql | null } {
  const walk: Prisma.Sql[] = [];
  const filter: Prisma.Sql[] = [];
  if (deviceId !== null) walk.push(Prisma.sql`m.device_id = ${deviceId}::int`);
  if (p.job !== null) walk.push(Prisma.sql`m.job_id = ${p.job}::int`);
  if (p.state.length === 1) walk.push(Prisma.sql`m.state = ${p.state[0]}::text`);
  else if (p.state.length > 1) filter.push(Prisma.sql`m.state = ANY(${p.state}::text[])`);
  if (p.kind.length > 0) filter.push(Prisma.sql`m.kind = ANY(${p.kind}::outbound_kind[])`);
  if (search && "ids" in search) filter.push(Prisma.sql`m.device_id = ANY(${search.ids}::int[])`);
  if (search && "many" in search) filter.push(Prisma.sql`m.device_id IN (SELECT d.id FROM devices d WHERE ${search.many})`);
  return { walk: joinAnd(walk), filter: joinAnd(filter) };
}

/** One page of the Outbox. An unknown device, or a search that names no device, matches no message. */
export async function listMessagesPage(p: MessageListParams, opts: { walkWindow?: number } = {}): Promise<MessageListPage> {
  let device: { id: number; deviceUuid: string; name: string } | null = null;
  if (p.device !== null) {
    device = await db().device.findUnique({ where: { deviceUuid: p.device }, select: { id: true, deviceUuid: true, name: true } });
    if (!device) return { rows: [], next: null, previous: null, device: null };
  }
  const search = p.q !== null ? await matchSearch(p.q) : null;
  const pageOf = (rows: MessageListRow[], next: Cursor<MessageSort> | null = null, previous: Cursor<MessageSort> | null = null): MessageListPage => ({
    rows,
    next,
    previous,
    device: device && { deviceUuid: device.deviceUuid, name: device.name },
  });
  if (search && "ids" in search && search.ids.length === 0) return pageOf([]);
  const column = MESSAGE_KEYSET.columns[p.sort];
  const { walk, filter } = filterSql(p, device?.id ?? null, search);
  const read = filteredSegmentReader<StoredMessage>({
    spec: MESSAGE_KEYSET,
    column,
    table: "outbound_messages",
    alias: "m",
    select: COLUMNS,
    filter,
    walkFilter: walk,
    window: opts.walkWindow ?? MESSAGE_WALK_WINDOW,
    query: (sql) => db().$queryRaw(sql),
  });
  const page = await fetchKeysetPage({ column, sort: p.sort, dir: p.dir, cursor: p.cursor, limit: p.limit, read, keyOf: (m) => ({ value: m.id, id: m.id }) });
  return pageOf(await withDevices(page.rows), page.next, page.previous);
}

/** The page's device names: one index lookup for at most a page of ids. */
async function withDevices(messages: StoredMessage[]): Promise<MessageListRow[]> {
  if (messages.length === 0) return [];
  const devices = await db().device.findMany({ where: { id: { in: [...new Set(messages.map((m) => m.deviceId))] } }, select: { id: true, deviceUuid: true, name: true } });
  const byId = new Map(devices.map((d) => [d.id, d]));
  return messages.flatMap(({ id, deviceId, text, link, server, nextAttemptAt, createdAt, ...m }) => {
    const d = byId.get(deviceId);
    // Gone between the two reads only if the device was removed meanwhile (its messages go with it).
    if (!d) return [];
    const summary = messageSummary(m.kind, { text, link, server });
    return [
      {
        ...m,
        id: id.toString(),
        deviceUuid: d.deviceUuid,
        deviceName: d.name,
        summary: summary.text,
        link: summary.link,
        nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
        createdAt: createdAt.toISOString(),
      },
    ];
  });
}

/**
 * The jobs list at fleet scale: one page of installation jobs across devices for parsed list
 * parameters (list-jobs-params.ts), read by keyset (lib/db/keyset.ts) off an index on (created_at,
 * id) or (updated_at, id) (migration jobs_list_indexes), never OFFSET; one package by creation off
 * (software_id, created_at, id). Filters are first applied to a bounded walk of that index and the
 * rest read as a set through the filters' own indexes
 * (`filteredSegmentReader`): (software_id, status) for software and state, (device_id,
 * software_id) for a device, (batch_id, status) for a batch, (status) for statuses. The page's
 * device and software names are read afterwards, for its rows only. Plain objects out, dates as
 * ISO strings (the table renders on the client too).
 */
import { db } from "@/lib/db/client";
import { softwareFilterOptions } from "@/lib/software/queries";
import { fetchKeysetPage, filteredSegmentReader, type Cursor } from "@/lib/db/keyset";
import { Prisma } from "@/lib/generated/prisma/client";
import { JOB_KEYSET, type JobListParams, type JobSort } from "./list-jobs-params";
import { statusesInState, type InstallMethod, type JobStatus } from "./status-model";

export type JobListRow = {
  id: number;
  deviceUuid: string;
  deviceName: string;
  softwareId: number;
  softwareName: string;
  softwareVersion: string;
  method: InstallMethod;
  fallbackMethod: InstallMethod | null;
  status: JobStatus;
  lastReturnCode: string | null;
  attempts: number;
  batchId: number | null;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
};

export type JobListPage = { rows: JobListRow[]; next: Cursor<JobSort> | null; previous: Cursor<JobSort> | null };

/** A row as the page query reads it: the device by id, names added afterwards, dates as the driver gives them. */
type StoredJob = Omit<JobListRow, "deviceUuid" | "deviceName" | "softwareName" | "softwareVersion" | "createdAt" | "updatedAt" | "cancelledAt"> & {
  deviceId: number;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
};

const COLUMNS = Prisma.sql`j.id, j.device_id AS "deviceId", j.software_id AS "softwareId", j.method, j.fallback_method AS "fallbackMethod", j.status,
       j.last_return_code AS "lastReturnCode", j.attempts, j.batch_id AS "batchId", j.created_at AS "createdAt", j.updated_at AS "updatedAt",
       j.cancelled_at AS "cancelledAt"`;

/**
 * Rows of the sort index a filtered page walks before reading the rest as a set: a filter
 * matching 1 job in 40 (one package of 40) fills a page of 50 by walking.
 */
export const JOB_WALK_WINDOW = 2000;

/**
 * One package's jobs by creation are a range of the (software_id, created_at, id) index: the
 * walk reads that range, and the other filters pick from it. (Read as a set instead, a package's
 * failed jobs cost a heap visit per match: ~270 ms for 6,000 matches against ~1 ms this way, on
 * seed:scale's fleet.) Not for the other sort: an index per package and updated_at would be
 * written on every job change.
 */
function softwareRange(p: JobListParams): Prisma.Sql | null {
  return p.sort === "created" && p.software.length === 1 ? Prisma.sql`j.software_id = ${p.software[0]}::int` : null;
}

/** The filters' WHERE over alias j (the device as its id): values of one filter OR-ed, filters AND-ed; null without filters. */
function filterSql(p: JobListParams, deviceId: number | null): Prisma.Sql | null {
  const parts: Prisma.Sql[] = [];
  if (p.software.length > 0 && !softwareRange(p)) parts.push(Prisma.sql`j.software_id = ANY(${p.software}::int[])`);
  if (p.state.length > 0) {
    // As the library counts: cancelled jobs are in no state.
    parts.push(Prisma.sql`j.status = ANY(${p.state.flatMap(statusesInState)}::job_status[]) AND j.cancelled_at IS NULL`);
  }
  if (p.status.length > 0) parts.push(Prisma.sql`j.status = ANY(${p.status}::job_status[])`);
  if (p.method.length > 0) parts.push(Prisma.sql`j.method = ANY(${p.method}::install_method[])`);
  if (deviceId !== null) parts.push(Prisma.sql`j.device_id = ${deviceId}::int`);
  if (p.batch !== null) parts.push(Prisma.sql`j.batch_id = ${p.batch}::int`);
  return parts.length > 0 ? Prisma.join(parts.map((part) => Prisma.sql`(${part})`), " AND ") : null;
}

const EMPTY: JobListPage = { rows: [], next: null, previous: null };

/** One page of the jobs list. An unknown device matches no job. */
export async function listJobsPage(p: JobListParams, opts: { walkWindow?: number } = {}): Promise<JobListPage> {
  let deviceId: number | null = null;
  if (p.device !== null) {
    const device = await db().device.findUnique({ where: { deviceUuid: p.device }, select: { id: true } });
    if (!device) return EMPTY;
    deviceId = device.id;
  }
  const column = JOB_KEYSET.columns[p.sort];
  const read = filteredSegmentReader<StoredJob>({
    spec: JOB_KEYSET,
    column,
    table: "installation_jobs",
    alias: "j",
    select: COLUMNS,
    filter: filterSql(p, deviceId),
    walkFilter: softwareRange(p),
    window: opts.walkWindow ?? JOB_WALK_WINDOW,
    query: (sql) => db().$queryRaw(sql),
  });
  const keyOf = (j: StoredJob) => ({ value: p.sort === "created" ? j.createdAt : j.updatedAt, id: j.id });
  const page = await fetchKeysetPage({ column, sort: p.sort, dir: p.dir, cursor: p.cursor, limit: p.limit, read, keyOf });
  return { ...page, rows: await withNames(page.rows) };
}

/** The page's device and software names: two index lookups for at most a page of ids. */
async function withNames(jobs: StoredJob[]): Promise<JobListRow[]> {
  if (jobs.length === 0) return [];
  const [devices, software] = await Promise.all([
    db().device.findMany({ where: { id: { in: [...new Set(jobs.map((j) => j.deviceId))] } }, select: { id: true, deviceUuid: true, name: true } }),
    db().software.findMany({ where: { id: { in: [...new Set(jobs.map((j) => j.softwareId))] } }, select: { id: true, name: true, version: true } }),
  ]);
  const deviceById = new Map(devices.map((d) => [d.id, d]));
  const softwareById = new Map(software.map((s) => [s.id, s]));
  return jobs.flatMap(({ deviceId, createdAt, updatedAt, cancelledAt, ...j }) => {
    const d = deviceById.get(deviceId);
    const s = softwareById.get(j.softwareId);
    // Gone between the two reads only if its device was removed meanwhile (the jobs go with it).
    if (!d || !s) return [];
    return [
      {
        ...j,
        deviceUuid: d.deviceUuid,
        deviceName: d.name,
        softwareName: s.name,
        softwareVersion: s.version,
        createdAt: createdAt.toISOString(),
        updatedAt: updatedAt.toISOString(),
        cancelledAt: cancelledAt?.toISOString() ?? null,
      },
    ];
  });
}

export type JobFacets = { software: { id: number; name: string; version: string }[] };
const MAX_SOFTWARE_FACETS = 200;

/** What the software filter offers: the library, by name (a catalogue, not the jobs: no scan). */
export async function listJobFacets(): Promise<JobFacets> {
  return { software: await softwareFilterOptions(MAX_SOFTWARE_FACETS) };
}

/** Reads of the software library for its pages and the API. */
import { db } from "@/lib/db/client";
import { jobStateOf, type JobStateName } from "@/lib/installation-jobs/status-model";

/** Jobs per state (status-model.ts, jobStateOf), cancelled jobs left out. */
export type JobCounts = { [S in JobStateName]: number };

export type SoftwareEntry = {
  id: number;
  kind: "DME_CLIENT" | "OTHER_SOFTWARE";
  name: string;
  version: string;
  platform: string | null;
  packageId: string;
  defaultBuild: boolean;
  testBuild: boolean;
  fileName: string | null;
  fileSize: number | null;
  fileSha256: string | null;
  createdAt: string;
  createdBy: string | null;
  withdrawnAt: string | null;
  counts: JobCounts;
};

const ENTRY_SELECT = {
  id: true,
  kind: true,
  name: true,
  version: true,
  platform: true,
  packageId: true,
  defaultBuild: true,
  testBuild: true,
  fileName: true,
  fileSize: true,
  fileSha256: true,
  createdAt: true,
  createdBy: true,
  withdrawnAt: true,
} as const;

/** Job counts per software, from the (software_id, status) index alone: one row per pair. */
async function countJobs(softwareIds: number[] | null): Promise<Map<number, JobCounts>> {
  const rows = await db().installationJob.groupBy({
    by: ["softwareId", "status"],
    where: { cancelledAt: null, ...(softwareIds ? { softwareId: { in: softwareIds } } : {}) },
    _count: { _all: true },
  });
  const out = new Map<number, JobCounts>();
  for (const r of rows) {
    const c = out.get(r.softwareId) ?? { installed: 0, inProgress: 0, failed: 0 };
    c[jobStateOf(r.status)] += r._count._all;
    out.set(r.softwareId, c);
  }
  return out;
}

function toEntry(row: Awaited<ReturnType<typeof findRows>>[number], counts: Map<number, JobCounts>): SoftwareEntry {
  return {
    ...row,
    fileSize: row.fileSize === null ? null : Number(row.fileSize),
    createdAt: row.createdAt.toISOString(),
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
    counts: counts.get(row.id) ?? { installed: 0, inProgress: 0, failed: 0 },
  };
}

function findRows(where: { id?: number } = {}) {
  return db().software.findMany({ where, select: ENTRY_SELECT, orderBy: [{ kind: "asc" }, { platform: "asc" }, { name: "asc" }, { version: "desc" }] });
}

export async function listSoftware(): Promise<SoftwareEntry[]> {
  const [rows, counts] = await Promise.all([findRows(), countJobs(null)]);
  return rows.map((r) => toEntry(r, counts));
}

export async function getSoftware(id: number): Promise<(SoftwareEntry & { instructions: InstructionView }) | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = await db().software.findUnique({
    where: { id },
    select: {
      ...ENTRY_SELECT,
      required: true,
      shortDescription: true,
      longDescription: true,
      flags: true,
      startTime: true,
      startTimeUtc: true,
      sourceFiles: true,
      recurrenceIntervalSeconds: true,
      recurrenceBehavior: true,
      localDestination: true,
      commandLine: true,
      storageKey: true,
    },
  });
  if (!row) return null;
  const counts = await countJobs([id]);
  const { required, shortDescription, longDescription, flags, startTime, startTimeUtc, sourceFiles, recurrenceIntervalSeconds, recurrenceBehavior, localDestination, commandLine, storageKey: _key, ...entry } = row;
  return {
    ...toEntry(entry, counts),
    instructions: {
      required,
      shortDescription,
      longDescription,
      lowBandwidth: (flags & 1) !== 0,
      highBandwidth: (flags & 2) !== 0,
      cradled: (flags & 4) !== 0,
      startTime: startTime ? startTime.toISOString().slice(0, 16) : "",
      startTimeUtc,
      sourceFiles,
      recurrenceHours: recurrenceIntervalSeconds ? Math.round(recurrenceIntervalSeconds / 3600) : null,
      recurrenceBehavior,
      localDestination,
      commandLine,
    },
  };
}

export type InstructionView = {
  required: boolean;
  shortDescription: string;
  longDescription: string;
  lowBandwidth: boolean;
  highBandwidth: boolean;
  cradled: boolean;
  startTime: string;
  startTimeUtc: boolean;
  sourceFiles: boolean;
  recurrenceHours: number | null;
  recurrenceBehavior: "DOWNLOAD_AND_EXECUTE" | "EXECUTE_ONLY" | null;
  localDestination: string;
  commandLine: string;
};

export async function getSoftwareFile(id: number): Promise<{ fileName: string; fileSize: number; storageKey: string } | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = await db().software.findUnique({ where: { id }, select: { fileName: true, fileSize: true, storageKey: true } });
  if (!row?.storageKey || row.fileSize === null) return null;
  return { fileName: row.fileName ?? "package.cab", fileSize: Number(row.fileSize), storageKey: row.storageKey };
}

export type InstallableSoftware = { id: number; name: string; label: string; kind: SoftwareEntry["kind"]; platform: string | null; version: string; defaultBuild: boolean; testBuild: boolean };

/** What can be installed now: entries not withdrawn that have a package file, DME clients first. */
export async function installableSoftware(): Promise<InstallableSoftware[]> {
  const rows = await db().software.findMany({
    where: { withdrawnAt: null, storageKey: { not: null } },
    select: { id: true, name: true, version: true, kind: true, platform: true, defaultBuild: true, testBuild: true },
    orderBy: [{ kind: "asc" }, { platform: "asc" }, { name: "asc" }, { version: "desc" }],
  });
  return rows.map((r) => ({ ...r, label: softwareLabel(r) }));
}

/** "DME client 6.0.2 for Windows CE 6.0 (default build)". */
export function softwareLabel(s: { name: string; version: string; platform: string | null; defaultBuild: boolean; testBuild: boolean }): string {
  const tags = [s.defaultBuild ? "default build" : null, s.testBuild ? "test build" : null].filter(Boolean);
  return `${s.name} ${s.version}${s.platform ? ` for ${s.platform}` : ""}${tags.length ? ` (${tags.join(", ")})` : ""}`;
}

/**
 * The library as a list filter's values (the jobs list, the log): every entry, withdrawn ones
 * too (their jobs and events remain), by name, newest version first, names only.
 */
export async function softwareFilterOptions(limit: number): Promise<{ id: number; name: string; version: string }[]> {
  return db().software.findMany({ select: { id: true, name: true, version: true }, orderBy: [{ name: "asc" }, { version: "desc" }], take: limit });
}

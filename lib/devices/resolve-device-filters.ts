/**
 * The devices-list filters that name rows of other tables, looked up once before the list's
 * query is built, so the query itself stays one statement over `devices` with plain index
 * ranges: a group becomes its id (members, through device_group_members) or its saved filter
 * (resolved in turn, one level deep); `clientBelow` becomes the known client versions lower
 * than it (versions.ts orders them, which SQL cannot); `hide` becomes the (platform, version)
 * pairs of the default or test DME client builds. An unknown group or a saved filter that no
 * longer parses is an issue for the page (or a 422), never an empty list that looks right.
 */
import { db } from "@/lib/db/client";
import { distinctDeviceValues } from "./distinct-values";
import { Prisma } from "@/lib/generated/prisma/client";
import { versionsBelow } from "@/lib/software/versions";
import { validationFailed, type ValidationIssue } from "@/lib/validation";
import { parseDeviceListParams, type DeviceListParams, type HideFilter } from "./list-devices-params";

export type ClientBuild = { platform: string | null; version: string };
export type ResolvedGroup = { id: number; name: string } & ({ kind: "STATIC" } | { kind: "FILTER"; filter: ResolvedDeviceFilter });
export type ResolvedDeviceFilter = {
  params: DeviceListParams;
  groups: ResolvedGroup[];
  /** Known client versions lower than params.clientBelow (null when that filter is not set). */
  versionsBelow: string[] | null;
  hiddenBuilds: ClientBuild[];
};

/** Resolves, or throws VALIDATION_FAILED with the issues (the page shows them, the API answers 422). */
export async function resolveDeviceFilters(params: DeviceListParams): Promise<ResolvedDeviceFilter> {
  const issues: ValidationIssue[] = [];
  const resolved = await resolve(params, issues, true);
  if (issues.length > 0) throw validationFailed(issues);
  return resolved;
}

async function resolve(params: DeviceListParams, issues: ValidationIssue[], top: boolean): Promise<ResolvedDeviceFilter> {
  const [groups, below, hidden] = await Promise.all([
    params.group.length ? resolveGroups(params.group, issues, top) : [],
    params.clientBelow !== null ? distinctDeviceValues("client_version", 1000).then((known) => versionsBelow(known, params.clientBelow!)) : null,
    params.hide.length ? clientBuilds(params.hide) : [],
  ]);
  return { params, groups, versionsBelow: below, hiddenBuilds: hidden };
}

async function resolveGroups(ids: number[], issues: ValidationIssue[], top: boolean): Promise<ResolvedGroup[]> {
  const rows = await db().deviceGroup.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, kind: true, filter: true } });
  for (const id of ids) if (!rows.some((r) => r.id === id)) issues.push({ field: "group", message: `No device group has the id ${id}.` });
  const out: ResolvedGroup[] = [];
  for (const row of rows) {
    if (row.kind === "STATIC") {
      out.push({ id: row.id, name: row.name, kind: "STATIC" });
      continue;
    }
    const parsed = parseDeviceListParams(new URLSearchParams(row.filter ?? ""));
    if (!parsed.ok) {
      issues.push({ field: "group", message: `The saved filter ${row.name} no longer fits the devices list: ${parsed.issues.map((i) => i.message).join(" ")}` });
    } else if (parsed.value.group.length > 0 && !top) {
      // Checked when a filter is saved too; one level keeps a loop of groups from ever forming.
      issues.push({ field: "group", message: `The saved filter ${row.name} names another group; saved filters cannot contain groups.` });
    } else {
      out.push({ id: row.id, name: row.name, kind: "FILTER", filter: await resolve(parsed.value, issues, false) });
    }
  }
  return out;
}

/** The DME client builds marked default or test (not withdrawn). */
async function clientBuilds(hide: HideFilter[]): Promise<ClientBuild[]> {
  const rows = await db().software.findMany({
    where: { kind: "DME_CLIENT", withdrawnAt: null, OR: hide.map((h) => (h === "default" ? { defaultBuild: true } : { testBuild: true })) },
    select: { platform: true, version: true },
  });
  return rows;
}

/** A device runs one of these builds: its version, on the build's platform (a build for any platform matches every one). */
export function onBuildSql(builds: ClientBuild[]): Prisma.Sql {
  if (builds.length === 0) return Prisma.sql`FALSE`;
  return Prisma.join(
    builds.map((b) => (b.platform === null ? Prisma.sql`d.client_version = ${b.version}` : Prisma.sql`(d.client_version = ${b.version} AND d.platform = ${b.platform})`)),
    " OR ",
  );
}

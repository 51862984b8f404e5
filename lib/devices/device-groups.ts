/**
 * Device groups: static ones (devices added by hand, by UUID or from a selection) and saved
 * filters (a devices-list query string, resolved whenever the group is used). Each change is
 * one transaction with its audit row; a static group's member count is kept here with every
 * change of members (and by removeDevice), so listing groups never counts rows.
 */
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseOrThrow, validationFailed } from "@/lib/validation";
import { resolveDeviceSelection } from "./device-selection";
import { deviceSelectionSchema } from "./device-selection-schema";
import { parseDeviceListParams } from "./list-devices-params";

export const newGroupSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("STATIC"), name: z.string().trim().min(1, "Name the group.").max(100, "At most 100 characters.") }),
  z.strictObject({
    kind: z.literal("FILTER"),
    name: z.string().trim().min(1, "Name the group.").max(100, "At most 100 characters."),
    /** The devices list's query string (without "?"); validated again wherever it is used. */
    filter: z.string().trim().max(2000, "At most 2000 characters.").transform((v) => v.replace(/^\?/, "")),
  }),
], { error: "Choose a static group or a saved filter." });

export type GroupRow = { id: number; name: string; kind: "STATIC" | "FILTER"; filter: string | null; memberCount: number; createdBy: string | null; createdAt: Date };

export async function listGroups(): Promise<GroupRow[]> {
  return db().deviceGroup.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, kind: true, filter: true, memberCount: true, createdBy: true, createdAt: true } });
}

export async function getGroup(id: number): Promise<GroupRow | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return db().deviceGroup.findUnique({ where: { id }, select: { id: true, name: true, kind: true, filter: true, memberCount: true, createdBy: true, createdAt: true } });
}

export async function createGroup(actor: Actor, input: unknown): Promise<GroupRow> {
  assertCan(actor, { device: ["write"] });
  const data = parseOrThrow(newGroupSchema, input);
  if (data.kind === "FILTER") checkSavedFilter(data.filter);
  if (await db().deviceGroup.findUnique({ where: { name: data.name }, select: { id: true } })) {
    throw new AppError("CONFLICT", `A group named ${data.name} exists.`, { fields: [{ field: "name", message: "This name is taken." }] });
  }
  return db().$transaction(async (tx) => {
    const group = await tx.deviceGroup.create({
      data: { name: data.name, kind: data.kind, filter: data.kind === "FILTER" ? data.filter : null, createdBy: actor.email || null },
      select: { id: true, name: true, kind: true, filter: true, memberCount: true, createdBy: true, createdAt: true },
    });
    await recordAudit(actor, "group.create", { type: "group", id: group.id }, { name: group.name, kind: group.kind, filter: group.filter }, tx);
    return group;
  });
}

/** A saved filter is a devices-list address that parses, and names no group (groups do not nest). */
function checkSavedFilter(filter: string): void {
  const parsed = parseDeviceListParams(new URLSearchParams(filter));
  if (!parsed.ok) throw validationFailed(parsed.issues.map((i) => ({ field: "filter", message: `${i.field}: ${i.message}` })));
  if (parsed.value.group.length > 0) throw validationFailed([{ field: "filter", message: "A saved filter cannot contain a group." }]);
}

export async function deleteGroup(actor: Actor, id: number): Promise<void> {
  assertCan(actor, { device: ["write"] });
  const group = await getGroup(id);
  if (!group) throw new AppError("NOT_FOUND", "No such group.");
  await db().$transaction(async (tx) => {
    await tx.deviceGroup.delete({ where: { id } });
    await recordAudit(actor, "group.delete", { type: "group", id }, { name: group.name }, tx);
  });
}

async function staticGroup(id: number): Promise<GroupRow> {
  const group = await getGroup(id);
  if (!group) throw new AppError("NOT_FOUND", "No such group.");
  if (group.kind !== "STATIC") throw new AppError("CONFLICT", `${group.name} is a saved filter: its members are whatever matches it.`);
  return group;
}

/** UUIDs, one per line or separated by commas or spaces, as people paste them. */
export function parseUuidList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

/** Adds devices (by UUID or id); devices already in the group are left as they are. Unknown UUIDs are named. */
export async function addToGroup(actor: Actor, groupId: number, devices: { uuids?: string[]; ids?: number[] }): Promise<{ added: number }> {
  assertCan(actor, { device: ["write"] });
  const group = await staticGroup(groupId);
  const uuids = devices.uuids ?? [];
  const found = uuids.length ? await db().device.findMany({ where: { deviceUuid: { in: uuids } }, select: { id: true, deviceUuid: true } }) : [];
  const unknown = uuids.filter((u) => !found.some((f) => f.deviceUuid === u));
  if (unknown.length) {
    throw new AppError("VALIDATION_FAILED", `No device ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}.`, { fields: [{ field: "uuids", message: "Unknown device UUIDs." }] });
  }
  const ids = [...new Set([...found.map((f) => f.id), ...(devices.ids ?? [])])];
  return db().$transaction(async (tx) => {
    const added = await tx.$executeRaw`
      INSERT INTO device_group_members (group_id, device_id)
      SELECT ${groupId}::int, d.id FROM devices d WHERE d.id = ANY(${ids}::int[])
      ON CONFLICT DO NOTHING`;
    await tx.deviceGroup.update({ where: { id: groupId }, data: { memberCount: { increment: added } } });
    await recordAudit(actor, "group.add", { type: "group", id: groupId }, { name: group.name, added }, tx);
    return { added };
  });
}

/** Adds the devices of a selection (picked, every match of a filter, or another group's) to a static group. */
export async function addSelectionToGroup(actor: Actor, groupId: number, selection: unknown): Promise<{ added: number }> {
  assertCan(actor, { device: ["write"] });
  await staticGroup(groupId);
  const uuids = await resolveDeviceSelection(parseOrThrow(deviceSelectionSchema, selection));
  return addToGroup(actor, groupId, { uuids });
}

export async function removeFromGroup(actor: Actor, groupId: number, deviceIds: number[]): Promise<{ removed: number }> {
  assertCan(actor, { device: ["write"] });
  const group = await staticGroup(groupId);
  return db().$transaction(async (tx) => {
    const { count } = await tx.deviceGroupMember.deleteMany({ where: { groupId, deviceId: { in: deviceIds } } });
    await tx.deviceGroup.update({ where: { id: groupId }, data: { memberCount: { decrement: count } } });
    await recordAudit(actor, "group.remove", { type: "group", id: groupId }, { name: group.name, removed: count }, tx);
    return { removed: count };
  });
}

/** Before a device is deleted (its memberships cascade): the groups it was in lose one member. */
export async function forgetGroupMemberships(tx: Tx, deviceId: number): Promise<void> {
  await tx.$executeRaw`UPDATE device_groups g SET member_count = member_count - 1
                        FROM device_group_members m WHERE m.group_id = g.id AND m.device_id = ${deviceId}::int`;
}

export type GroupMember = { id: number; deviceUuid: string; name: string; platform: string | null; addedAt: Date };

/** A static group's members, by device id, one page at a time (no OFFSET). */
export async function listGroupMembers(groupId: number, afterDeviceId = 0, limit = 100): Promise<{ members: GroupMember[]; next: number | null }> {
  const rows = await db().deviceGroupMember.findMany({
    where: { groupId, deviceId: { gt: afterDeviceId } },
    orderBy: { deviceId: "asc" },
    take: limit + 1,
    select: { addedAt: true, device: { select: { id: true, deviceUuid: true, name: true, platform: true } } },
  });
  const page = rows.slice(0, limit).map((r) => ({ ...r.device, addedAt: r.addedAt }));
  return { members: page, next: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** Reads for the console's device pages (the list: list-devices.ts). Plain objects out, never model rows. */
import { db } from "@/lib/db/client";
import type { MachineInventory, SoftwareInventory } from "@/lib/device-protocol/inventory";
import type { PollIdentification } from "@/lib/device-protocol/poll";

export type DeviceDetail = {
  id: number;
  deviceUuid: string;
  name: string;
  platform: string | null;
  phoneNumber: string | null;
  omaDmBootstrapped: boolean;
  clientVersion: string | null;
  lastContactAt: Date | null;
  lastPollAt: Date | null;
  pollCursor: string | null;
  identification: PollIdentity | null;
  createdAt: Date;
};

/** What the last poll identified (stored by recordPoll). */
export type PollIdentity = PollIdentification & { managementSystem: { name: string | null; version: string | null } | null; serverTimestamp: string | null };

export async function getDeviceByUuid(deviceUuid: string): Promise<DeviceDetail | null> {
  // No device UUID holds control characters; PostgreSQL would refuse a NUL with an error.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(deviceUuid)) return null;
  return db().device.findUnique({
    where: { deviceUuid },
    select: {
      id: true,
      deviceUuid: true,
      name: true,
      platform: true,
      phoneNumber: true,
      omaDmBootstrapped: true,
      clientVersion: true,
      lastContactAt: true,
      lastPollAt: true,
      pollCursor: true,
      identification: true,
      createdAt: true,
    },
  }).then((d) => d && { ...d, identification: d.identification as PollIdentity | null });
}

export type LatestInventories = {
  software: { receivedAt: Date; messageRowId: string | null; data: SoftwareInventory } | null;
  machine: { receivedAt: Date; messageRowId: string | null; data: MachineInventory } | null;
};

/** The newest inventory of each kind (the index on device, kind, id makes each one row read). */
export async function latestInventories(deviceId: number): Promise<LatestInventories> {
  const latest = (kind: "SOFTWARE" | "MACHINE") =>
    db().deviceInventory.findFirst({ where: { deviceId, kind }, orderBy: { id: "desc" }, select: { receivedAt: true, messageRowId: true, data: true } });
  const [software, machine] = await Promise.all([latest("SOFTWARE"), latest("MACHINE")]);
  const view = <T>(r: typeof software) => r && { receivedAt: r.receivedAt, messageRowId: r.messageRowId?.toString() ?? null, data: r.data as T };
  return { software: view<SoftwareInventory>(software), machine: view<MachineInventory>(machine) };
}

export type CollectedFileRow = { id: string; path: string; receivedAt: Date; size: number; sha256: string };

export async function listCollectedFiles(deviceId: number, limit = 50): Promise<CollectedFileRow[]> {
  const rows = await db().collectedFile.findMany({ where: { deviceId }, orderBy: { id: "desc" }, take: limit, select: { id: true, path: true, receivedAt: true, size: true, sha256: true } });
  return rows.map((r) => ({ ...r, id: r.id.toString(), size: Number(r.size) }));
}

/** One collected file of this device, for download. */
export async function getCollectedFile(deviceId: number, id: string): Promise<{ path: string; size: number; storageKey: string } | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const f = await db().collectedFile.findFirst({ where: { id: BigInt(id), deviceId }, select: { path: true, size: true, storageKey: true } });
  return f && { ...f, size: Number(f.size) };
}

/** Names of devices by UUID (the install wizard shows whom it installs on); unknown UUIDs are left out. */
export async function deviceNamesByUuid(uuids: string[]): Promise<{ deviceUuid: string; name: string; platform: string | null; clientVersion: string | null }[]> {
  if (uuids.length === 0) return [];
  return db().device.findMany({ where: { deviceUuid: { in: uuids } }, select: { deviceUuid: true, name: true, platform: true, clientVersion: true }, orderBy: { name: "asc" } });
}

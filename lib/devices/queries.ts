/** Reads for the console's device pages. Plain objects out, never model rows. */
import { db } from "@/lib/db/client";
import { INSTALLING_STATUSES } from "@/lib/installation-jobs/queries";
import { statusRank } from "@/lib/installation-jobs/status-model";

export type DeviceSummary = {
  deviceUuid: string;
  name: string;
  platform: string | null;
  clientVersion: string | null;
  lastContactAt: Date | null;
  installingCount: number;
  attentionCount: number;
};

/** Devices with their Installing-table counts: one grouped count query, not a row per job. */
export async function listDevices(): Promise<DeviceSummary[]> {
  const [devices, counts] = await Promise.all([
    db().device.findMany({
      orderBy: [{ name: "asc" }, { id: "asc" }],
      select: { id: true, deviceUuid: true, name: true, platform: true, clientVersion: true, lastContactAt: true },
    }),
    db().installationJob.groupBy({ by: ["deviceId", "status"], where: { status: { in: INSTALLING_STATUSES } }, _count: { _all: true } }),
  ]);
  const installing = new Map<number, number>();
  const attention = new Map<number, number>();
  for (const c of counts) {
    installing.set(c.deviceId, (installing.get(c.deviceId) ?? 0) + c._count._all);
    if (statusRank(c.status) === "error") attention.set(c.deviceId, (attention.get(c.deviceId) ?? 0) + c._count._all);
  }
  return devices.map(({ id, ...d }) => ({ ...d, installingCount: installing.get(id) ?? 0, attentionCount: attention.get(id) ?? 0 }));
}

export type DeviceDetail = {
  id: number;
  deviceUuid: string;
  name: string;
  platform: string | null;
  phoneNumber: string | null;
  omaDmBootstrapped: boolean;
  clientVersion: string | null;
  lastContactAt: Date | null;
  createdAt: Date;
};

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
      createdAt: true,
    },
  });
}

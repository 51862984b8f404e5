/** Reads for the console's device pages. Plain objects out, never model rows. */
import { db } from "@/lib/db/client";
import { ATTENTION_STATUSES, INSTALLING_STATUSES } from "@/lib/installation-jobs/queries";

export type DeviceSummary = {
  deviceUuid: string;
  name: string;
  platform: string | null;
  clientVersion: string | null;
  lastContactAt: Date | null;
  installingCount: number;
  attentionCount: number;
};

export async function listDevices(): Promise<DeviceSummary[]> {
  const devices = await db().device.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: {
      deviceUuid: true,
      name: true,
      platform: true,
      clientVersion: true,
      lastContactAt: true,
      _count: {
        select: {
          jobs: { where: { status: { in: INSTALLING_STATUSES } } },
        },
      },
      jobs: { where: { status: { in: ATTENTION_STATUSES } }, select: { id: true } },
    },
  });
  return devices.map(({ _count, jobs, ...d }) => ({ ...d, installingCount: _count.jobs, attentionCount: jobs.length }));
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

import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hashDeviceToken } from "./credentials";

export type AuthenticatedDevice = { id: number; deviceUuid: string; clientVersion: string | null };

/**
 * One query: the device with a live credential matching the token. An unknown device and a
 * wrong token get the same answer, so a caller cannot probe which UUIDs exist.
 */
export async function authenticateDevice(deviceUuid: string, token: string): Promise<AuthenticatedDevice> {
  const device = await db().device.findFirst({
    where: { deviceUuid, credentials: { some: { tokenHash: hashDeviceToken(token), revokedAt: null } } },
    select: { id: true, deviceUuid: true, clientVersion: true },
  });
  if (!device) throw new AppError("UNAUTHORIZED", "Unknown device or wrong X-Device-Auth token.");
  return device;
}

import { sql, statement } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { hashDeviceToken } from "./credentials";

export type AuthenticatedDevice = { id: number; deviceUuid: string; clientVersion: string | null };

const authenticateSql = statement<AuthenticatedDevice>(
  "devices_authenticate",
  `SELECT d.id, d.device_uuid AS "deviceUuid", d.client_version AS "clientVersion"
     FROM devices d
    WHERE d.device_uuid = $1::text
      AND EXISTS (SELECT 1 FROM device_credentials c WHERE c.device_id = d.id AND c.token_hash = $2::text AND c.revoked_at IS NULL)`,
);

/**
 * One query: the device with a live credential matching the token. An unknown device and a
 * wrong token get the same answer, so a caller cannot probe which UUIDs exist.
 */
export async function authenticateDevice(deviceUuid: string, token: string): Promise<AuthenticatedDevice> {
  const [device] = await sql().query(authenticateSql, [deviceUuid, hashDeviceToken(token)]);
  if (!device) throw new AppError("UNKNOWN_DEVICE", `No device ${deviceUuid} with that X-Device-Auth token.`);
  return device;
}

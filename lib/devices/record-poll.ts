/**
 * A device's poll: one statement stores what the poll identified (shown on the device page),
 * the time and the cursor issued, and returns everything the response needs: the device's
 * package list (kept by the job writer, so no job table is read) and its settings.
 */
import { sql, statement } from "@/lib/db/sql";
import type { DevicePoll } from "@/lib/device-protocol/poll";
import { effectiveDeviceSettings, type DeviceSettings } from "@/lib/settings/device-settings";

const recordPollSql = statement<{ packageIds: string[] | null; override: unknown; defaults: unknown }>(
  "devices_record_poll",
  `UPDATE devices
      SET last_poll_at = $2::timestamptz, last_contact_at = $2::timestamptz, identification = $3::jsonb,
          platform = COALESCE($4::text, platform), poll_cursor = $5::text,
          -- A device that enrolled itself is named after what it calls itself.
          name = CASE WHEN enrolled_at IS NOT NULL AND name = device_uuid THEN COALESCE($6::text, name) ELSE name END
    WHERE id = $1::int
   RETURNING applicable_packages AS "packageIds", settings AS override,
             (SELECT value FROM server_settings WHERE key = 'device_settings') AS defaults`,
);

export type PollResult = { packageIds: string[]; settings: DeviceSettings };

export async function recordPoll(deviceId: number, poll: DevicePoll, cursor: string, now: Date): Promise<PollResult> {
  const identification = { managementSystem: poll.managementSystem, ...poll.identification, serverTimestamp: poll.connection.timestamp };
  const [row] = await sql().query(recordPollSql, [deviceId, now, JSON.stringify(identification), poll.identification.platform, cursor, poll.identification.deviceName]);
  if (!row) throw new Error(`device ${deviceId} vanished while polling`);
  return { packageIds: row.packageIds ?? [], settings: effectiveDeviceSettings(row.defaults, row.override) };
}

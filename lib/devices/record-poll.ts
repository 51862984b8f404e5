/**
 * A device's poll: one statement stores what the poll identified (shown on the device page),
 * the time and the cursor issued, and returns everything the response needs: the device's
 * package list (kept by the job writer, so no job table is read) and its settings.
 */
import { bestEffortSql, statement } from "@/lib/db/sql";
import type { DevicePoll } from "@/lib/device-protocol/poll";
import { effectiveDeviceSettings, type DeviceSettings } from "@/lib/settings/device-settings";

// What every poll writes ($2 time, $3 identification, $4 platform, $5 cursor) and returns, for
// both statements below.
const POLL_SET = `last_poll_at = $2::timestamptz, last_contact_at = $2::timestamptz, identification = $3::jsonb,
          platform = COALESCE($4::text, d.platform), poll_cursor = $5::text`;
const POLL_RETURNING = `RETURNING d.applicable_packages AS "packageIds", d.settings AS override,
             (SELECT value FROM server_settings WHERE key = 'device_settings') AS defaults`;
type PollRow = { packageIds: string[] | null; override: unknown; defaults: unknown };

const recordPollSql = statement<PollRow>(
  "devices_record_poll",
  `UPDATE devices d
      SET ${POLL_SET},
          -- A device that enrolled itself is named after what it calls itself.
          name = CASE WHEN d.enrolled_at IS NOT NULL AND d.name = d.device_uuid THEN COALESCE($6::text, 'Enrolled device ' || d.device_uuid) ELSE d.name END
    WHERE d.id = $1::int
   ${POLL_RETURNING}`,
);

export type PollResult = { packageIds: string[]; settings: DeviceSettings };

function identificationOf(poll: DevicePoll) {
  return JSON.stringify({ managementSystem: poll.managementSystem, ...poll.identification, serverTimestamp: poll.connection.timestamp });
}

export async function recordPoll(deviceId: number, poll: DevicePoll, cursor: string, now: Date): Promise<PollResult> {
  const [row] = await bestEffortSql().query(recordPollSql, [deviceId, now, identificationOf(poll), poll.identification.platform, cursor, poll.identification.deviceName]);
  if (!row) throw new Error(`device ${deviceId} vanished while polling`);
  return { packageIds: row.packageIds ?? [], settings: effectiveDeviceSettings(row.defaults, row.override) };
}

const authenticatedPollSql = statement<PollRow>(
  "devices_authenticated_poll",
  // The whole poll of a device in good standing, as one statement: the token matches a
  // confirmed credential not yet due for rotation, and the client version is unchanged. Any
  // other case finds no row and takes the general path (identify, then recordPoll). Hashes are
  // compared by the index: SHA-256 values an attacker cannot choose, so timing tells nothing.
  `UPDATE devices d
      SET ${POLL_SET}
     FROM device_credentials c
    WHERE d.device_uuid = $1::text AND c.device_id = d.id AND c.token_hash = $6::text
      AND c.revoked_at IS NULL AND c.confirmed_at IS NOT NULL AND ($7::timestamptz IS NULL OR c.created_at > $7::timestamptz)
      AND ($8::text IS NULL OR d.client_version IS NOT DISTINCT FROM $8::text)
      AND (d.enrolled_at IS NULL OR d.name <> d.device_uuid)
   ${POLL_RETURNING}`,
);

/**
 * The hot path: one statement authenticates and records the poll, or returns null when this
 * poll needs the general path (unknown device, enrollment, a pending or old token, a client
 * version change, an enrolled device still to be named).
 */
export async function recordAuthenticatedPoll(
  p: { deviceUuid: string; tokenHash: string; clientVersion: string | null; rotateBefore: Date | null },
  poll: DevicePoll,
  cursor: string,
  now: Date,
): Promise<PollResult | null> {
  const [row] = await bestEffortSql().query(authenticatedPollSql, [p.deviceUuid, now, identificationOf(poll), poll.identification.platform, cursor, p.tokenHash, p.rotateBefore, p.clientVersion]);
  return row ? { packageIds: row.packageIds ?? [], settings: effectiveDeviceSettings(row.defaults, row.override) } : null;
}

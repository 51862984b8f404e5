/**
 * System info synchronization: the client version a device reports (the
 * X-Device-client-version header on any message, or its machine inventory) is stored on the
 * device, and a change verifies its DME-client jobs (status-model.md). Runs before the message
 * itself is handled, so the message sees the version in force.
 */
import { sql, statement } from "@/lib/db/sql";
import { applyClientVersionReport } from "@/lib/installation-jobs/verify-client-version";

const setClientVersionSql = statement<{ id: number }>(
  "devices_set_client_version",
  // The device row lock serializes this with the device's reports.
  `UPDATE devices SET client_version = $2::text WHERE id = $1::int AND client_version IS DISTINCT FROM $2::text RETURNING id`,
);

/** Records a reported client version; returns how many jobs it verified. */
export async function syncClientVersion(deviceId: number, known: string | null, reported: string | null, now: Date): Promise<number> {
  if (!reported || reported === known) return 0;
  return sql().transaction(async (tx) => {
    const changed = await tx.query(setClientVersionSql, [deviceId, reported]);
    return changed.length === 1 ? applyClientVersionReport(tx, deviceId, reported, now) : 0;
  });
}

/**
 * Where raw device messages get their rows: stored once per (device, body hash), so a retried
 * document lands on the same row, and the devices' contact time touched in the same statement.
 * The device rows are locked first, in id order: that serializes everything one device sends,
 * and two transactions storing for overlapping devices cannot deadlock.
 */
import { createHash } from "node:crypto";
import { statement, type Sql } from "@/lib/db/sql";

const storeMessagesSql = statement<{ id: string; deviceId: number; sha: string; clientVersion: string | null }>(
  "devices_store_messages",
  // DO UPDATE, not DO NOTHING: a retry of the same bytes must get the existing row's id back,
  // even while another transaction is inserting it.
  `WITH locked AS (
     SELECT id FROM devices WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE
   ), touched AS (
     UPDATE devices d SET last_contact_at = $2::timestamptz FROM locked WHERE d.id = locked.id RETURNING d.id, d.client_version
   ), message AS (
     INSERT INTO device_messages (device_id, action, received_at, headers, body, body_sha256)
     SELECT m.device_id, m.action, $2::timestamptz, m.headers, m.body, m.sha
       FROM unnest($3::int[], $4::text[], $5::jsonb[], $6::text[], $7::text[]) AS m(device_id, action, headers, body, sha)
       -- Joined with the locked devices, so a message is inserted only once its device is locked.
       JOIN locked ON locked.id = m.device_id
     ON CONFLICT (device_id, body_sha256) DO UPDATE SET body_sha256 = EXCLUDED.body_sha256
     RETURNING id, device_id, body_sha256
   )
   SELECT message.id::text AS id, message.device_id AS "deviceId", message.body_sha256 AS sha, touched.client_version AS "clientVersion"
     FROM message JOIN touched ON touched.id = message.device_id`,
);

export type NewMessage = { deviceId: number; action: string; headers: Record<string, string>; body: string };
export type StoredMessage = { messageRowId: string; clientVersion: string | null };

export function bodySha256(body: string): string {
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Stores raw documents (the same bytes from one device twice: one row); returns, per message
 * in order, its row id and its device's client version in force.
 */
export async function storeDeviceMessages(tx: Sql, messages: NewMessage[], now: Date): Promise<StoredMessage[]> {
  if (messages.length === 0) return [];
  const keys = messages.map((m) => `${m.deviceId}:${bodySha256(m.body)}`);
  const unique = [...new Map(messages.map((m, i) => [keys[i]!, m])).values()];
  const rows = await tx.query(storeMessagesSql, [
    [...new Set(messages.map((m) => m.deviceId))],
    now,
    unique.map((m) => m.deviceId),
    unique.map((m) => m.action),
    unique.map((m) => JSON.stringify(m.headers)),
    unique.map((m) => m.body),
    unique.map((m) => bodySha256(m.body)),
  ]);
  const byKey = new Map(rows.map((r) => [`${r.deviceId}:${r.sha}`, { messageRowId: r.id, clientVersion: r.clientVersion }]));
  return keys.map((k) => {
    const stored = byKey.get(k);
    if (!stored) throw new Error(`device ${k.split(":")[0]} vanished while sending a message`);
    return stored;
  });
}

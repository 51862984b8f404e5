/**
 * Where raw device messages get their rows: stored once per (device, body hash), so a retried
 * document lands on the same row, and the device's contact time touched in the same statement.
 * That UPDATE takes the device row lock, which serializes everything one device sends.
 */
import { createHash } from "node:crypto";
import { statement, type Sql } from "@/lib/db/sql";

const storeMessageSql = statement<{ id: string; clientVersion: string | null }>(
  "devices_store_message",
  // DO UPDATE, not DO NOTHING: a retry of the same bytes must get the existing row's id back,
  // even while another transaction is inserting it.
  `WITH message AS (
     INSERT INTO device_messages (device_id, action, received_at, headers, body, body_sha256)
     VALUES ($1::int, $2::text, $3::timestamptz, $4::jsonb, $5::text, $6::text)
     ON CONFLICT (device_id, body_sha256) DO UPDATE SET body_sha256 = EXCLUDED.body_sha256
     RETURNING id
   ), touched AS (
     UPDATE devices SET last_contact_at = $3::timestamptz WHERE id = $1::int
     RETURNING client_version
   )
   SELECT message.id::text AS id, touched.client_version AS "clientVersion" FROM message, touched`,
);

export type StoredMessage = { messageRowId: string; clientVersion: string | null };

/** Stores the raw document; returns its row id and the device's client version in force. */
export async function storeDeviceMessage(
  tx: Sql,
  m: { deviceId: number; action: string; headers: Record<string, string>; body: string; now: Date },
): Promise<StoredMessage> {
  const bodySha256 = createHash("sha256").update(m.body).digest("hex");
  const [row] = await tx.query(storeMessageSql, [m.deviceId, m.action, m.now, JSON.stringify(m.headers), m.body, bodySha256]);
  if (!row) throw new Error(`device ${m.deviceId} vanished while sending a message`);
  return { messageRowId: row.id, clientVersion: row.clientVersion };
}

/**
 * The delivery layer's one interface: the messages a job change calls for (an SMS with the
 * download link, a WAP push Service Indication, an OMA CP bootstrap) are handed over inside
 * the transaction of that change, so a message exists exactly when its change committed.
 *
 * Today the layer records them (outbound_messages, state "recorded") and the job page shows
 * them; the delivery issue adds the outbox worker and the Kannel transports behind the same
 * `handOver`, so no caller changes.
 */
import { statement, type Sql } from "@/lib/db/sql";

export type OutboundKind = "SMS_PUSH" | "WAP_PUSH" | "BOOTSTRAP";

export type OutboundMessageInput = {
  kind: OutboundKind;
  jobId: number | null;
  deviceId: number;
  /** The device's phone number; null when it has none (the message is kept, marked unsendable). */
  recipient: string | null;
  content: Record<string, unknown>;
};

const handOverSql = statement<{ id: string }>(
  "delivery_hand_over",
  `INSERT INTO outbound_messages (kind, job_id, device_id, recipient, content, state, created_at)
   SELECT v.kind::outbound_kind, v.job_id, v.device_id, v.recipient, v.content::jsonb,
          CASE WHEN v.recipient IS NULL THEN 'no recipient' ELSE 'recorded' END, $6::timestamptz
     FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[]) AS v(kind, job_id, device_id, recipient, content)
   RETURNING id::text`,
);

export async function handOver(tx: Sql, messages: OutboundMessageInput[], now: Date): Promise<void> {
  if (messages.length === 0) return;
  await tx.query(handOverSql, [
    messages.map((m) => m.kind),
    messages.map((m) => m.jobId),
    messages.map((m) => m.deviceId),
    messages.map((m) => m.recipient),
    messages.map((m) => JSON.stringify(m.content)),
    now,
  ]);
}

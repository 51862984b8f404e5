/**
 * The delivery layer's one way in: the messages a job change calls for (an SMS with the
 * download link, a WAP push Service Indication, an OMA CP bootstrap) are handed over inside the
 * transaction of that change. The message rows and the queue jobs that send them commit with
 * the change or not at all, so a crash between the commit and the send only delays a message
 * (the worker, outbox-worker.ts, picks the queue job up when it runs again).
 */
import { statement, type Sql } from "@/lib/db/sql";
import { enqueueDeliveries, OUTBOX_CHANNEL } from "./queue";

export type OutboundKind = "SMS_PUSH" | "WAP_PUSH" | "BOOTSTRAP";

export type OutboundMessageInput = {
  kind: OutboundKind;
  jobId: number | null;
  deviceId: number;
  /** The device's phone number; null when it has none (the worker then fails the message, saying so). */
  recipient: string | null;
  content: Record<string, unknown>;
};

// A bootstrap is written only for a device that has none under way, and marks it as under way in
// the same statement: however many jobs wait for a bootstrap, the device gets one at a time.
// Callers hold the device rows' locks (every job change takes them first).
const handOverSql = statement<{ id: string }>(
  "delivery_hand_over",
  `WITH v AS (
     SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[]) AS v(kind, job_id, device_id, recipient, content)
   ), bootstrapping AS (
     UPDATE devices d SET bootstrap_requested_at = $6::timestamptz
      WHERE d.id IN (SELECT device_id FROM v WHERE kind = 'BOOTSTRAP') AND d.bootstrap_requested_at IS NULL
      RETURNING d.id
   )
   INSERT INTO outbound_messages (kind, job_id, device_id, recipient, content, state, created_at, updated_at, link_expires_at)
   SELECT v.kind::outbound_kind, v.job_id, v.device_id, v.recipient, v.content::jsonb, 'queued', $6::timestamptz, $6::timestamptz,
          CASE WHEN v.kind <> 'BOOTSTRAP' THEN (v.content::jsonb->>'expiresAt')::timestamptz END
     FROM v
    WHERE v.kind <> 'BOOTSTRAP' OR v.device_id IN (SELECT id FROM bootstrapping)
   RETURNING id::text`,
);
// Delivered at COMMIT (never for a rollback): the workers' wake-up call (outbox-worker.ts). One
// per transaction that hands messages over, which already notifies its job change.
const wakeWorkersSql = statement("delivery_wake_workers", `SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);


/**
 * Writes the messages and queues their sending. Returns the new messages' ids; a bootstrap for a
 * device that already has one under way is left out (the waiting jobs share the one in flight).
 */
export async function handOver(tx: Sql, messages: OutboundMessageInput[], now: Date): Promise<string[]> {
  const seenBootstrap = new Set<number>();
  const unique = messages.filter((m) => m.kind !== "BOOTSTRAP" || (!seenBootstrap.has(m.deviceId) && seenBootstrap.add(m.deviceId)));
  if (unique.length === 0) return [];
  const rows = await tx.query(handOverSql, [
    unique.map((m) => m.kind),
    unique.map((m) => m.jobId),
    unique.map((m) => m.deviceId),
    unique.map((m) => m.recipient),
    unique.map((m) => JSON.stringify(m.content)),
    now,
  ]);
  const ids = rows.map((r) => r.id);
  await enqueueDeliveries(tx, ids);
  if (ids.length) await tx.query(wakeWorkersSql, []);
  return ids;
}

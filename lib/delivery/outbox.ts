/**
 * The outbox writer: the one place a message's state changes after handOver wrote it. Each change
 * is planned by the pure model (message-state.ts), written with an event row saying what
 * happened (the attempt, the gateway's answer, the delivery report), and, when the message has
 * just failed for good, moves its job in the same transaction (status-model.md: a failed link
 * message fails the job, a failed bootstrap falls back to the download link).
 *
 * The device row is locked first, as every job writer does, then the message and its job: the
 * device lock orders the outbox's writes with the job writers' and with each other. A send itself never runs inside a transaction: `startAttempt` commits that an attempt
 * began, the transport talks to the gateway, `recordAnswer` commits what it said. A worker that
 * dies in between leaves the message `sending`; the queue hands its job to another worker, which,
 * once the attempt is a minute old, notes that its outcome is unknown and sends again (at least
 * once: a message is never lost; it reaches the phone twice when the gateway took an attempt
 * whose answer never came back — the process died, or the answer timed out).
 */
import { sql, statement, type Sql } from "@/lib/db/sql";
import { settleBootstrap } from "@/lib/devices/bootstrap";
import { applyEvent, lockJob, type StoredJob } from "@/lib/installation-jobs/job-writer";
import { publicBaseUrl } from "@/lib/downloads/public-url";
import { linkContext, type LinkContext } from "./job-messages";
import type { OutboundKind } from "./delivery";
import { applyMessageEvent, DEFAULT_RETRY_POLICY, isMessageState, nextAttemptAt, type DeliveryReportMeaning, type MessageEvent, type MessageState, type RetryPolicy } from "./message-state";
import { enqueueDeliveries } from "./queue";
import type { OutgoingMessage, SendResult, Transports } from "./transport";

type LockedDevice = { id: number; deviceUuid: string; clientVersion: string | null; phoneNumber: string | null; bootstrapped: boolean; bootstrapRequestedAt: Date | null };
type StoredMessage = {
  id: string;
  kind: OutboundKind;
  jobId: number | null;
  deviceId: number;
  recipient: string | null;
  content: Record<string, unknown>;
  state: MessageState;
  attempts: number;
  transport: string | null;
  createdAt: Date;
  updatedAt: Date;
  nextAttemptAt: Date | null;
  /** A link message for which a newer one was handed over (a resend): its failure no longer says anything about the job. */
  replaced: boolean;
};

const lockDeviceSql = statement<LockedDevice>(
  "outbox_lock_device",
  `SELECT id, device_uuid AS "deviceUuid", client_version AS "clientVersion", phone_number AS "phoneNumber",
          oma_dm_bootstrapped AS bootstrapped, bootstrap_requested_at AS "bootstrapRequestedAt"
     FROM devices WHERE id = (SELECT device_id FROM outbound_messages WHERE id = $1::bigint) FOR UPDATE`,
);
const lockMessageSql = statement<StoredMessage>(
  "outbox_lock_message",
  `SELECT m.id::text, m.kind::text, m.job_id AS "jobId", m.device_id AS "deviceId", m.recipient, m.content, m.state, m.attempts, m.transport,
          m.created_at AS "createdAt", m.updated_at AS "updatedAt", m.next_attempt_at AS "nextAttemptAt",
          EXISTS (SELECT 1 FROM outbound_messages n WHERE n.job_id = m.job_id AND n.kind <> 'BOOTSTRAP' AND n.id > m.id) AS "replaced"
     FROM outbound_messages m WHERE m.id = $1::bigint FOR UPDATE OF m`,
);
const updateMessageSql = statement(
  "outbox_update_message",
  `UPDATE outbound_messages
      SET state = $2::text, attempts = COALESCE($3::int, attempts), next_attempt_at = $4::timestamptz, transport = COALESCE($5::text, transport),
          gateway_ref = COALESCE($6::text, gateway_ref), last_error = $7::text,
          accepted_at = CASE WHEN $2::text IN ('accepted', 'submitted', 'delivered', 'kept') THEN COALESCE(accepted_at, $8::timestamptz) ELSE accepted_at END,
          delivered_at = CASE WHEN $2::text = 'delivered' THEN COALESCE(delivered_at, $8::timestamptz) ELSE delivered_at END,
          finished_at = CASE WHEN $2::text IN ('delivered', 'failed', 'cancelled', 'kept') THEN COALESCE(finished_at, $8::timestamptz) ELSE finished_at END,
          updated_at = $8::timestamptz
    WHERE id = $1::bigint`,
);
const insertEventSql = statement(
  "outbox_insert_event",
  `INSERT INTO outbound_message_events (message_id, at, kind, attempt, state, detail) VALUES ($1::bigint, $2::timestamptz, $3::text, $4::int, $5::text, $6::text)`,
);

const setGatewayRefSql = statement("outbox_set_gateway_ref", `UPDATE outbound_messages SET gateway_ref = COALESCE(gateway_ref, $2::text) WHERE id = $1::bigint`);

type Locked = { device: LockedDevice; job: StoredJob | null; message: StoredMessage };

/** Locks a message with its device and job (in the writers' order); null when it is gone. */
async function lockMessage(tx: Sql, messageId: string): Promise<Locked | null> {
  const [device] = await tx.query(lockDeviceSql, [messageId]);
  if (!device) return null;
  // Under the device lock: its job id can only have become null since (the job was removed).
  const [peek] = await tx.query(lockMessageSql, [messageId]);
  if (!peek) return null;
  const job = peek.jobId !== null ? await lockJob(tx, peek.jobId) : null;
  return { device, job, message: { ...peek, state: isMessageState(peek.state) ? peek.state : "failed" } };
}

type Change = {
  event: MessageEvent;
  /** The event row: what happened, in words. */
  kind: "attempt" | "answer" | "report" | "note";
  detail: string;
  attempts?: number;
  nextAttemptAt?: Date | null;
  transport?: string;
  gatewayRef?: string;
  /** The message's reason for its current state (a failure, or the problem it is retrying after). */
  lastError?: string | null;
  /** Why it failed, if this change makes it fail. */
  failure?: string;
};

/** Applies one change to a locked message; returns its state after. Moves the job when the message has just failed. */
async function apply(tx: Sql, locked: Locked, change: Change, now: Date, link: LinkContext): Promise<MessageState> {
  const { message } = locked;
  const t = applyMessageEvent(message.state, change.event);
  const attempts = change.attempts ?? message.attempts;
  const lastError = t.next === "failed" ? (change.failure ?? change.lastError ?? null) : (change.lastError ?? null);
  await tx.query(updateMessageSql, [message.id, t.next, attempts, t.next === "retrying" ? (change.nextAttemptAt ?? null) : null, change.transport ?? null, change.gatewayRef ?? null, lastError, now]);
  await tx.query(insertEventSql, [message.id, now, change.kind, change.kind === "attempt" || change.kind === "answer" ? attempts : null, t.next, change.detail]);
  if (t.next === "retrying" && change.nextAttemptAt) await enqueueDeliveries(tx, [message.id], change.nextAttemptAt);
  if (t.failedNow) await jobAfterFailure(tx, locked, change.failure ?? change.detail, now, link);
  message.state = t.next;
  message.attempts = attempts;
  return t.next;
}

/**
 * The bootstrap the device is waiting on: handOver writes the message and sets
 * `bootstrap_requested_at` from the same instant, so an older one (replaced by a resend, or left
 * from a bootstrap settled since) never settles or blocks the current one.
 */
function isCurrentBootstrap(device: LockedDevice, message: StoredMessage): boolean {
  return device.bootstrapRequestedAt !== null && device.bootstrapRequestedAt.getTime() === message.createdAt.getTime();
}

async function jobAfterFailure(tx: Sql, { device, job, message }: Locked, reason: string, now: Date, link: LinkContext): Promise<void> {
  if (message.kind === "BOOTSTRAP") {
    if (!isCurrentBootstrap(device, message)) return;
    await settleBootstrap(tx, device, { succeeded: false, reason: `the bootstrap message failed: ${reason}` }, linkBaseOf(message, link));
    return;
  }
  // A newer link went out since (a resend): the job waits for that one.
  if (job && !message.replaced) await applyEvent(tx, job, device.clientVersion, { type: "LINK_MESSAGE_FAILED", via: message.kind, reason }, { deviceId: device.id, now });
}

/** Why a message is no longer worth sending (its job moved on, its bootstrap was settled); null when it still is. */
function noLongerNeeded({ device, job, message }: Locked): string | null {
  if (message.kind === "BOOTSTRAP") {
    if (isCurrentBootstrap(device, message)) return null;
    return device.bootstrapRequestedAt === null ? "the device's bootstrap was settled meanwhile" : "a newer bootstrap replaced it";
  }
  if (message.replaced) return "a newer message replaced it";
  if (message.jobId === null) return "its job was removed";
  if (!job) return "its job was removed";
  if (job.cancelledAt) return "its job was cancelled";
  return job.status === "WAITING_FOR_DOWNLOAD" ? null : "its job is no longer waiting for its download";
}

/**
 * What a failed bootstrap's fallback links need (the secret, the lifetime), read before the
 * transaction as linkContext asks; both are cached per process, so once warm this costs no query
 * on the path every attempt and report takes. The links' base is the bootstrap's own server,
 * known only once the message is locked (linkBaseOf).
 */
function contextFor(now: Date): Promise<LinkContext> {
  return linkContext("http://localhost", now);
}

function linkBaseOf(message: StoredMessage, link: LinkContext): LinkContext {
  const server = typeof message.content.server === "string" ? message.content.server : "http://localhost";
  return { ...link, baseUrl: publicBaseUrl(server) };
}

/** An attempt still `sending` after this long is taken for dead (the attempt timeout is 15 s). */
export const ATTEMPT_PRESUMED_DEAD_MS = 60_000;

export type StartedAttempt = { message: OutgoingMessage; transport: string };

/**
 * Begins an attempt: null when there is nothing to send (settled already, no longer needed, no
 * recipient: each recorded on the message, the last one failing it and moving its job).
 */
export async function startAttempt(messageId: string, transports: Transports, now = new Date()): Promise<StartedAttempt | null> {
  const link = await contextFor(now);
  return sql().transaction(async (tx) => {
    const locked = await lockMessage(tx, messageId);
    if (!locked) return null;
    const { message, device } = locked;
    if (!["queued", "retrying", "sending"].includes(message.state)) return null;
    // Another queue job for the same message (a retry's, or one the queue handed out again) must
    // not start early or cut into an attempt that may still be under way: it steps back, and the
    // stale-message sweep (housekeeping) queues the message again should nothing come of it.
    if (message.state === "retrying" && message.nextAttemptAt && message.nextAttemptAt.getTime() > now.getTime() + 1_000) return null;
    if (message.state === "sending" && now.getTime() - message.updatedAt.getTime() < ATTEMPT_PRESUMED_DEAD_MS) return null;
    if (message.state === "sending") {
      await apply(tx, locked, { event: { type: "ATTEMPT_STARTED" }, kind: "note", detail: `Attempt ${message.attempts} was interrupted (the worker stopped): whether the gateway took it is unknown.` }, now, link);
    }
    const unneeded = noLongerNeeded(locked);
    if (unneeded) {
      await apply(tx, locked, { event: { type: "CANCELLED" }, kind: "note", detail: `Not sent: ${unneeded}.`, lastError: null }, now, link);
      return null;
    }
    if (!message.recipient) {
      const reason = "the device has no phone number";
      await apply(tx, locked, { event: { type: "ATTEMPT_STARTED" }, kind: "note", detail: "Not sent: the device has no phone number." }, now, link);
      await apply(tx, locked, { event: { type: "GATEWAY_REJECTED" }, kind: "note", detail: "Failed: the device has no phone number.", failure: reason }, now, link);
      return null;
    }
    const transport = transports(message.kind).name;
    const attempt = message.attempts + 1;
    await apply(tx, locked, { event: { type: "ATTEMPT_STARTED" }, kind: "attempt", detail: `Attempt ${attempt} through ${transport}.`, attempts: attempt, transport }, now, link);
    return {
      transport,
      message: { id: message.id, kind: message.kind, recipient: message.recipient, content: message.content, deviceId: device.id, deviceUuid: device.deviceUuid, attempt },
    };
  });
}

/** When a link message's link expires: retrying past it would send a dead link. */
function deadlineOf(message: StoredMessage): Date | null {
  const at = typeof message.content.expiresAt === "string" ? new Date(message.content.expiresAt) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

/** Stores what the gateway answered to attempt `attempt`; returns the message's state after. */
export async function recordAnswer(messageId: string, attempt: number, result: SendResult, policy: RetryPolicy = DEFAULT_RETRY_POLICY, now = new Date()): Promise<MessageState | null> {
  const link = await contextFor(now);
  return sql().transaction(async (tx) => {
    const locked = await lockMessage(tx, messageId);
    if (!locked) return null;
    const { message } = locked;
    // An answer to an attempt a later one has replaced (the worker was presumed dead) is only noted.
    if (message.attempts !== attempt || message.state !== "sending") {
      // Reports often come first (Kannel calls back within milliseconds): the answer of the same
      // attempt still brings the gateway's reference.
      if (message.attempts === attempt && result.outcome === "accepted" && result.gatewayRef) await tx.query(setGatewayRefSql, [message.id, result.gatewayRef]);
      await tx.query(insertEventSql, [message.id, now, "answer", attempt, message.state, `Gateway: ${result.answer}`]);
      return message.state;
    }
    switch (result.outcome) {
      case "accepted":
        return apply(tx, locked, { event: { type: "GATEWAY_ACCEPTED", kept: result.kept === true }, kind: "answer", detail: `Gateway: ${result.answer}`, gatewayRef: result.gatewayRef, lastError: null }, now, link);
      case "rejected":
        return apply(tx, locked, { event: { type: "GATEWAY_REJECTED" }, kind: "answer", detail: `Gateway refused it: ${result.answer}`, failure: `the gateway refused it: ${result.answer}` }, now, link);
      case "retry": {
        const deadline = deadlineOf(message);
        const next = nextAttemptAt(policy, attempt, now, deadline);
        const failure = next
          ? undefined
          : attempt >= policy.maxAttempts
            ? `no attempt succeeded (${attempt} attempts; the last: ${result.answer})`
            : `the link expires before another attempt (the last: ${result.answer})`;
        const detail = next ? `Gateway: ${result.answer}. Next attempt at ${next.toISOString().slice(11, 19)} UTC.` : `Gateway: ${result.answer}. Giving up: ${failure}.`;
        return apply(tx, locked, { event: { type: "GATEWAY_RETRY", nextAttemptAt: next }, kind: "answer", detail, nextAttemptAt: next, lastError: result.answer, failure }, now, link);
      }
    }
  });
}

const openMessagesSql = statement<{ id: string; state: string }>(
  "outbox_open_messages",
  `SELECT id::text, state FROM outbound_messages
    WHERE state IN ('queued', 'retrying')
      AND ((job_id = $1::int AND kind <> 'BOOTSTRAP') OR ($1::int IS NULL AND device_id = $2::int AND kind = 'BOOTSTRAP'))
    ORDER BY id FOR UPDATE`,
);

/**
 * Cancels the messages still waiting to go out for a job (or a device's bootstraps) because a
 * new one replaces them, in the caller's transaction (device and job rows locked by it). One in
 * the middle of an attempt is left to finish (the gateway may have taken it); once the newer
 * one exists, its failure no longer moves the job, and a later attempt of it is cancelled.
 */
export async function cancelOpenMessages(tx: Sql, of: { jobId: number } | { deviceId: number; kind: "BOOTSTRAP" }, reason: string, now: Date): Promise<number> {
  const rows = await tx.query(openMessagesSql, "jobId" in of ? [of.jobId, null] : [null, of.deviceId]);
  for (const row of rows) {
    const state = isMessageState(row.state) ? row.state : "queued";
    const t = applyMessageEvent(state, { type: "CANCELLED" });
    await tx.query(updateMessageSql, [row.id, t.next, null, null, null, null, null, now]);
    await tx.query(insertEventSql, [row.id, now, "note", null, t.next, `Not sent: ${reason}.`]);
  }
  return rows.length;
}

export type DeliveryReport = { meaning: DeliveryReportMeaning; detail: string };

/**
 * Stores a delivery report (a Kannel DLR, a PAP result notification); null when the message is
 * gone. `attempt` is the attempt the report's URL was made for: a failure reported for an earlier
 * attempt than the current one is recorded, and moves nothing (the current attempt may still work).
 */
export async function recordReport(messageId: string, report: DeliveryReport, now = new Date(), attempt: number | null = null): Promise<MessageState | null> {
  const link = await contextFor(now);
  return sql().transaction(async (tx) => {
    const locked = await lockMessage(tx, messageId);
    if (!locked) return null;
    const { message } = locked;
    const failure = report.meaning === "failed" || report.meaning === "smsc-rejected";
    if (failure && attempt !== null && attempt !== message.attempts) {
      await tx.query(insertEventSql, [message.id, now, "report", attempt, message.state, `${report.detail} (about attempt ${attempt}; attempt ${message.attempts} is the current one)`]);
      return message.state;
    }
    return apply(tx, locked, { event: { type: "REPORT", meaning: report.meaning }, kind: "report", detail: report.detail, failure: `the delivery report says: ${report.detail}` }, now, link);
  });
}

// Still to send, and nothing seems to work on it: queued or retrying well past its time, or
// `sending` long after any attempt would have timed out. A queue job can be lost (pg-boss
// archives one left unrun past its retention, or one that failed all its retries while the
// database was down); the message row is the truth, and this puts it back in the queue.
const staleMessagesSql = statement<{ id: string }>(
  "outbox_stale_messages",
  `SELECT id::text FROM outbound_messages
    WHERE state IN ('queued', 'retrying', 'sending') AND COALESCE(next_attempt_at, updated_at) < $1::timestamptz
    ORDER BY id LIMIT $2::int`,
);
// Touched so the next round leaves them to the queue job queued now; a `sending` one is left as
// it is (its age is what lets the next attempt take over from the dead one).
const touchStaleSql = statement(
  "outbox_touch_stale",
  `UPDATE outbound_messages SET updated_at = $2::timestamptz, next_attempt_at = NULL WHERE id = ANY($1::bigint[]) AND state IN ('queued', 'retrying')`,
);

/** How long a message still to send may sit untouched before it is queued again. */
export const STALE_MESSAGE_MS = 10 * 60_000;

/** Queues again up to `limit` messages no queue job seems to be working on; how many. */
export async function requeueStale(now: Date, limit: number): Promise<number> {
  const stale = await sql().query(staleMessagesSql, [new Date(now.getTime() - STALE_MESSAGE_MS), limit]);
  if (stale.length === 0) return 0;
  const ids = stale.map((m) => m.id);
  await sql().transaction(async (tx) => {
    await tx.query(touchStaleSql, [ids, now]);
    await enqueueDeliveries(tx, ids);
  });
  return ids.length;
}

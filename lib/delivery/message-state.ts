/**
 * PURE: the life of one outgoing message (an SMS with a link, a WAP push, a bootstrap), as the
 * outbox writer (outbox.ts) applies it. A function of the message's state and one event, like
 * the job status model, so the writer only loads, plans and stores.
 *
 *   queued ─attempt→ sending ─accepted→ accepted ─SMSC took it→ submitted ─phone→ delivered
 *                      │  └─transient→ retrying ─attempt→ sending …
 *                      ├─rejected, or out of attempts / time→ failed
 *                      └─kept (no gateway configured: the development outbox)→ kept
 *   queued/retrying/sending ─job no longer needs it→ cancelled
 *
 * Delivery reports can arrive before the worker has stored the gateway's answer (Kannel calls
 * the DLR URL within milliseconds of sendsms), so a report counts from `sending` on, and a late
 * answer never moves a message back from what a report already told.
 */

export const MESSAGE_STATES = ["queued", "sending", "retrying", "accepted", "submitted", "delivered", "failed", "cancelled", "kept", "not sent"] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

export const MESSAGE_STATE_INFO: Record<MessageState, { label: string; final: boolean; description: string }> = {
  queued: { label: "Queued", final: false, description: "Waiting for its first attempt." },
  sending: { label: "Sending", final: false, description: "An attempt is under way." },
  retrying: { label: "Retrying", final: false, description: "The last attempt failed; another is scheduled." },
  accepted: { label: "Accepted by the gateway", final: false, description: "The gateway took it; no delivery report yet." },
  submitted: { label: "Accepted by the SMS centre", final: false, description: "The SMS centre took it; the phone has not confirmed yet." },
  delivered: { label: "Delivered", final: true, description: "The phone received it." },
  failed: { label: "Failed", final: true, description: "It was not delivered, and will not be retried." },
  cancelled: { label: "Cancelled", final: true, description: "Not sent: its job no longer needed it." },
  kept: { label: "Kept (development outbox)", final: true, description: "No gateway is configured: the message is shown here and not sent." },
  "not sent": { label: "Not sent", final: true, description: "Recorded before delivery existed." },
};

export function isMessageState(value: string): value is MessageState {
  return (MESSAGE_STATES as readonly string[]).includes(value);
}

/** Whether a message can still be sent (an attempt may start). */
export function isSendable(state: MessageState): boolean {
  return state === "queued" || state === "retrying" || state === "sending";
}

/** A delivery report, as the transports' parsers classify it (Kannel DLR, PAP result notification). */
export type DeliveryReportMeaning = "delivered" | "failed" | "buffered" | "smsc-accepted" | "smsc-rejected" | "unknown";

export type MessageEvent =
  | { type: "ATTEMPT_STARTED" }
  | { type: "GATEWAY_ACCEPTED"; kept: boolean }
  | { type: "GATEWAY_RETRY"; nextAttemptAt: Date | null /* null: no attempt left, the message fails */ }
  | { type: "GATEWAY_REJECTED" }
  | { type: "REPORT"; meaning: DeliveryReportMeaning }
  | { type: "CANCELLED" };

export type MessageTransition = {
  next: MessageState;
  changed: boolean;
  /** The message has just failed for good: its job must move (status-model.md). */
  failedNow: boolean;
};

const PROGRESS: Partial<Record<MessageState, number>> = { sending: 0, accepted: 1, submitted: 2, delivered: 3 };

function to(state: MessageState, next: MessageState): MessageTransition {
  return { next, changed: next !== state, failedNow: next === "failed" && state !== "failed" };
}

export function applyMessageEvent(state: MessageState, event: MessageEvent): MessageTransition {
  const stay = to(state, state);
  switch (event.type) {
    case "ATTEMPT_STARTED":
      return isSendable(state) ? to(state, "sending") : stay;
    case "GATEWAY_ACCEPTED":
      if (state !== "sending") return stay; // a report already said more (or it was settled)
      return to(state, event.kept ? "kept" : "accepted");
    case "GATEWAY_RETRY":
      if (state !== "sending") return stay;
      return to(state, event.nextAttemptAt ? "retrying" : "failed");
    case "GATEWAY_REJECTED":
      return state === "sending" ? to(state, "failed") : stay;
    case "REPORT": {
      // An attempt whose answer timed out may still have reached the gateway: its success report
      // settles the message (the retry then finds nothing to send); its failure changes nothing,
      // the next attempt may still work.
      if (state === "retrying") return event.meaning === "delivered" ? to(state, "delivered") : event.meaning === "smsc-accepted" ? to(state, "submitted") : stay;
      const progress = PROGRESS[state];
      if (progress === undefined) return stay; // final, or never sent: a stray report changes nothing
      switch (event.meaning) {
        case "delivered":
          return to(state, "delivered");
        case "smsc-accepted":
          return progress < PROGRESS.submitted! ? to(state, "submitted") : stay;
        case "failed":
        case "smsc-rejected":
          return state === "delivered" ? stay : to(state, "failed");
        default:
          return stay; // buffered, unknown: recorded, no move
      }
    }
    case "CANCELLED":
      return isSendable(state) ? to(state, "cancelled") : stay;
  }
}

/**
 * When the next attempt may start: exponential backoff from `baseMs` (doubling per attempt, ±20 %
 * jitter so a gateway coming back is not met by every message at once), capped at `capMs`; null
 * when no attempt is left or the next one would start after the deadline (a link that expires
 * first is not worth sending).
 */
export type RetryPolicy = { baseMs: number; capMs: number; maxAttempts: number };

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 10_000, capMs: 10 * 60_000, maxAttempts: 8 };

export function nextAttemptAt(policy: RetryPolicy, attemptsMade: number, now: Date, deadline: Date | null, random: () => number = Math.random): Date | null {
  if (attemptsMade >= policy.maxAttempts) return null;
  const exact = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const delay = Math.round(exact * (0.8 + 0.4 * random()));
  const at = new Date(now.getTime() + delay);
  return deadline && at >= deadline ? null : at;
}

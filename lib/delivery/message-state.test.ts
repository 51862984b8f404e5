import { describe, expect, it } from "vitest";
import { applyMessageEvent, MESSAGE_STATES, MESSAGE_STATE_INFO, nextAttemptAt, type MessageEvent, type MessageState } from "./message-state";

const NOW = new Date("2026-12-01T12:00:00Z");
const EVENTS: Record<string, MessageEvent> = {
  start: { type: "ATTEMPT_STARTED" },
  accepted: { type: "GATEWAY_ACCEPTED", kept: false },
  kept: { type: "GATEWAY_ACCEPTED", kept: true },
  retry: { type: "GATEWAY_RETRY", nextAttemptAt: NOW },
  exhausted: { type: "GATEWAY_RETRY", nextAttemptAt: null },
  rejected: { type: "GATEWAY_REJECTED" },
  smsc: { type: "REPORT", meaning: "smsc-accepted" },
  delivered: { type: "REPORT", meaning: "delivered" },
  failedReport: { type: "REPORT", meaning: "failed" },
  buffered: { type: "REPORT", meaning: "buffered" },
  cancel: { type: "CANCELLED" },
};
const ORDER = Object.keys(EVENTS);

// Every (state, event) pair; "=" stays. Columns in ORDER.
const TABLE: Record<MessageState, (MessageState | "=")[]> = {
  queued: ["sending", "=", "=", "=", "=", "=", "=", "=", "=", "=", "cancelled"],
  sending: ["=", "accepted", "kept", "retrying", "failed", "failed", "submitted", "delivered", "failed", "=", "cancelled"],
  retrying: ["sending", "=", "=", "=", "=", "=", "submitted", "delivered", "=", "=", "cancelled"],
  accepted: ["=", "=", "=", "=", "=", "=", "submitted", "delivered", "failed", "=", "="],
  submitted: ["=", "=", "=", "=", "=", "=", "=", "delivered", "failed", "=", "="],
  delivered: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  failed: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  cancelled: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  kept: ["=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
  "not sent": ["=", "=", "=", "=", "=", "=", "=", "=", "=", "=", "="],
};

describe("message states", () => {
  const cases = MESSAGE_STATES.flatMap((state) => ORDER.map((event, i) => [state, event, TABLE[state][i]!] as const));
  it.each(cases)("%s + %s -> %s", (state, event, expected) => {
    const t = applyMessageEvent(state, EVENTS[event]!);
    expect(t.next).toBe(expected === "=" ? state : expected);
    expect(t.failedNow).toBe(t.next === "failed" && state !== "failed");
  });

  it("never leaves a final state", () => {
    for (const state of MESSAGE_STATES.filter((s) => MESSAGE_STATE_INFO[s].final)) {
      for (const event of ORDER) expect(applyMessageEvent(state, EVENTS[event]!).changed).toBe(false);
    }
  });
});

describe("nextAttemptAt", () => {
  const policy = { baseMs: 10_000, capMs: 60_000, maxAttempts: 5 };
  const exact = () => 0.5; // no jitter
  it("doubles from the base, up to the cap, then stops after the last attempt", () => {
    const delays = [1, 2, 3, 4].map((n) => nextAttemptAt(policy, n, NOW, null, exact)!.getTime() - NOW.getTime());
    expect(delays).toEqual([10_000, 20_000, 40_000, 60_000]);
    expect(nextAttemptAt(policy, 5, NOW, null, exact)).toBeNull();
  });
  it("jitters within ±20 % and never schedules past the deadline", () => {
    expect(nextAttemptAt(policy, 1, NOW, null, () => 0)!.getTime() - NOW.getTime()).toBe(8_000);
    expect(nextAttemptAt(policy, 1, NOW, null, () => 1)!.getTime() - NOW.getTime()).toBe(12_000);
    expect(nextAttemptAt(policy, 1, NOW, new Date(NOW.getTime() + 9_000), exact)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { signTicket, verifyTicket } from "./ticket";

const SECRET = Buffer.from("0123456789abcdef0123456789abcdef");
const NOW = new Date("2026-12-01T10:00:00Z");
const LATER = new Date("2026-12-01T11:00:00Z");

function code(fn: () => unknown): string {
  try {
    fn();
    return "accepted";
  } catch (e) {
    return (e as AppError).code;
  }
}

describe("download tickets", () => {
  it("round-trips job, expiry and purpose", () => {
    const text = signTicket({ jobId: 42, expiresAt: LATER, via: "link" }, SECRET);
    expect(text).toMatch(/^42\.\d+\.l\.[A-Za-z0-9_-]{22}$/);
    expect(verifyTicket(text, SECRET, NOW)).toEqual({ jobId: 42, expiresAt: LATER, via: "link" });
  });

  it("refuses an expired ticket as expired and a forged or altered one as invalid", () => {
    const text = signTicket({ jobId: 42, expiresAt: LATER, via: "client" }, SECRET);
    expect(code(() => verifyTicket(text, SECRET, LATER))).toBe("TICKET_EXPIRED");
    expect(code(() => verifyTicket(text.replace(/^42/, "43"), SECRET, NOW))).toBe("TICKET_INVALID");
    expect(code(() => verifyTicket(text.replace(".c.", ".l."), SECRET, NOW))).toBe("TICKET_INVALID");
    const [a, b, c] = text.split(".");
    expect(code(() => verifyTicket(`${a}.${Number(b) + 3600}.${c}.${text.split(".")[3]}`, SECRET, NOW))).toBe("TICKET_INVALID");
    expect(code(() => verifyTicket(text, Buffer.from("another secret, another server!!"), NOW))).toBe("TICKET_INVALID");
    expect(code(() => verifyTicket("garbage", SECRET, NOW))).toBe("TICKET_INVALID");
    expect(code(() => verifyTicket(`${text}x`, SECRET, NOW))).toBe("TICKET_INVALID");
  });
});

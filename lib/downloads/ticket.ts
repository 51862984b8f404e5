/**
 * Download tickets: the package link handed to a device is bound to one job, carries its expiry
 * and is signed (HMAC-SHA256 with the server secret), so no table is needed to check it and any
 * app node can serve it. `via` says who the link was for: the CE client (a LocationRequest;
 * its status reports complete the job) or a person's phone (an SMS/WAP push link; serving the
 * whole file completes the job). Pure.
 *
 *   <jobId>.<expiry, unix seconds>.<c|l>.<MAC, base64url of the first 16 bytes>
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/errors";

export type TicketVia = "client" | "link";
export type Ticket = { jobId: number; expiresAt: Date; via: TicketVia };

/** The DME default lifetime of a download link. */
export const DEFAULT_LINK_LIFETIME_SECONDS = 60 * 60;

const VIA_CODE: { [V in TicketVia]: string } = { client: "c", link: "l" };

function mac(payload: string, secret: Buffer): Buffer {
  return createHmac("sha256", secret).update(payload).digest().subarray(0, 16);
}

export function signTicket(ticket: Ticket, secret: Buffer): string {
  const payload = `${ticket.jobId}.${Math.floor(ticket.expiresAt.getTime() / 1000)}.${VIA_CODE[ticket.via]}`;
  return `${payload}.${mac(payload, secret).toString("base64url")}`;
}

/** The ticket, or TICKET_INVALID (forged, altered, malformed) / TICKET_EXPIRED (signed, but late). */
export function verifyTicket(text: string, secret: Buffer, now: Date): Ticket {
  const m = text.match(/^(\d{1,10})\.(\d{1,12})\.([cl])\.([A-Za-z0-9_-]{22})$/);
  if (!m) throw new AppError("TICKET_INVALID", "This download link is not valid.");
  const [, jobId, expiry, via, signature] = m as unknown as [string, string, string, string, string];
  const expected = mac(`${jobId}.${expiry}.${via}`, secret);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError("TICKET_INVALID", "This download link is not valid.");
  const ticket: Ticket = { jobId: Number(jobId), expiresAt: new Date(Number(expiry) * 1000), via: via === "c" ? "client" : "link" };
  if (ticket.expiresAt.getTime() <= now.getTime()) {
    throw Object.assign(new AppError("TICKET_EXPIRED", `This download link expired at ${ticket.expiresAt.toISOString()}.`), { ticket });
  }
  return ticket;
}

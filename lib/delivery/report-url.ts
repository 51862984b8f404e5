/**
 * Where a gateway sends a message's delivery reports: one URL per message, signed, so a report
 * cannot be forged for another message by guessing its id (the endpoint is reachable by the
 * gateway, hence by whoever can reach the gateway's network).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { dlrCallbackUrl } from "./kannel/sendsms";

const TOKEN_LENGTH = 22; // 132 bits of HMAC-SHA256, base64url

export function reportToken(secret: Buffer, messageId: string): string {
  return createHmac("sha256", secret).update(`delivery-report:${messageId}`).digest("base64url").slice(0, TOKEN_LENGTH);
}

export function isReportToken(secret: Buffer, messageId: string, token: string): boolean {
  const expected = Buffer.from(reportToken(secret, messageId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The URL Kannel calls with a message's reports (app/api/delivery/reports/[messageId]): the
 * token and Kannel's %-escapes in its query (dlrCallbackUrl).
 */
export function reportUrl(base: string, secret: Buffer, messageId: string, attempt: number): string {
  // The attempt tells a late failure report of an earlier attempt from one about the current one.
  return dlrCallbackUrl(`${base}/api/delivery/reports/${messageId}?a=${attempt}`, reportToken(secret, messageId));
}

/** The attempt a report's URL names; null when absent or not a number (reports from before it was added). */
export function reportAttempt(query: URLSearchParams): number | null {
  const a = query.get("a");
  return a !== null && /^\d{1,6}$/.test(a) ? Number(a) : null;
}

/**
 * The base URL the gateway reaches this server at: DEPLOYDESK_DELIVERY_CALLBACK_URL when set
 * (Kannel on another network than the devices), else DEPLOYDESK_PUBLIC_URL, else this host's
 * own port on loopback (a gateway on the same machine).
 */
export function callbackBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.DEPLOYDESK_DELIVERY_CALLBACK_URL || env.DEPLOYDESK_PUBLIC_URL || `http://127.0.0.1:${env.PORT || 3000}`).replace(/\/+$/, "");
}

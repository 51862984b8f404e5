/**
 * Sign-in attempts per account and per address, counted in the database so every app process
 * shares one count. An attempt is counted before the password is checked (so parallel guesses
 * cannot slip past the limit, and a refused attempt costs no password hash); a successful
 * sign-in then clears its account's count and gives its address the attempt back.
 *
 * Fixed windows: after ACCOUNT_LIMIT attempts on one account, or ADDRESS_LIMIT from one
 * address, further attempts are refused until WINDOW_SECONDS after the window's first attempt.
 * Someone guessing can therefore lock an account for a window; that is the usual price, and
 * an Admin can still set the password.
 */
import { db } from "@/lib/db/client";

export const WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_LIMIT = 5;
export const ADDRESS_LIMIT = 30;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string | null) => `address:${address ?? "unknown"}`;

export async function countSignInAttempt(email: string, address: string | null): Promise<ThrottleVerdict> {
  const rows = await db().$queryRaw<{ key: string; failures: number; retry_after: number }[]>`
    INSERT INTO sign_in_throttle AS t (key, failures, window_starts_at)
    VALUES (${accountKey(email)}, 1, now()), (${addressKey(address)}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_starts_at <= now() - make_interval(secs => ${WINDOW_SECONDS}) THEN 1 ELSE t.failures + 1 END,
      window_starts_at = CASE WHEN t.window_starts_at <= now() - make_interval(secs => ${WINDOW_SECONDS}) THEN now() ELSE t.window_starts_at END
    RETURNING key, failures,
      ceil(extract(epoch FROM t.window_starts_at + make_interval(secs => ${WINDOW_SECONDS}) - now()))::int AS retry_after`;
  let wait = 0;
  for (const row of rows) {
    const limit = row.key.startsWith("account:") ? ACCOUNT_LIMIT : ADDRESS_LIMIT;
    if (row.failures > limit) wait = Math.max(wait, row.retry_after, 1);
  }
  return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
}

export async function forgiveSignInAttempt(email: string, address: string | null): Promise<void> {
  await db().$executeRaw`DELETE FROM sign_in_throttle WHERE key = ${accountKey(email)}`;
  await db().$executeRaw`UPDATE sign_in_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ${addressKey(address)}`;
}

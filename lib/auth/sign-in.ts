/**
 * The one sign-in path, for the console's form and for POST /api/v1/sessions: throttle,
 * better-auth's password check and session, and the audit trail. Refusals say as little as
 * possible: a wrong email and a wrong password are the same "invalid email or password".
 */
import { isAPIError } from "better-auth/api";
import type { SignInInput } from "./sign-in-schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { actorRole, type Actor } from "./actor";
import { auth } from "./auth";
import { countSignInAttempt, forgiveSignInAttempt } from "./sign-in-throttle";

export type RequestOrigin = { headers: Headers; ipAddress: string | null; userAgent: string | null; via: "console" | "api" };

export { signInSchema, type SignInInput } from "./sign-in-schema";

export type SignedIn = { token: string; expiresAt: Date; actor: Actor };

export async function signIn(input: SignInInput, origin: RequestOrigin): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  const who = { email, ipAddress: origin.ipAddress, userAgent: origin.userAgent, via: origin.via };
  const verdict = await countSignInAttempt(email, origin.ipAddress);
  if (!verdict.allowed) {
    await recordAudit(who, "auth.sign_in_failed", null, { reason: "throttled" });
    const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
    throw new AppError("TOO_MANY_ATTEMPTS", `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, {
      retryAfterSeconds: verdict.retryAfterSeconds,
    });
  }
  let result;
  try {
    result = await (await auth(origin.via === "api" ? "api" : "browser")).api.signInEmail({ body: { email, password: input.password, rememberMe: true }, headers: origin.headers });
  } catch (error) {
    if (!isAPIError(error)) throw error;
    const disabled = error.body?.code === "BANNED_USER";
    await recordAudit(who, "auth.sign_in_failed", null, { reason: disabled ? "disabled" : "invalid credentials" });
    if (disabled) throw new AppError("ACCOUNT_DISABLED", "This account is disabled. Ask an Admin to enable it.");
    throw new AppError("INVALID_CREDENTIALS", "Invalid email or password.");
  }
  await forgiveSignInAttempt(email, origin.ipAddress);
  const session = await db().session.findUniqueOrThrow({ where: { token: result.token }, select: { expiresAt: true } });
  const actor: Actor = {
    userId: result.user.id,
    email: result.user.email,
    name: result.user.name,
    role: actorRole((result.user as { role?: string | null }).role),
    via: origin.via,
    ipAddress: origin.ipAddress,
    userAgent: origin.userAgent,
  };
  await recordAudit(actor, "auth.sign_in", { type: "user", id: actor.userId });
  return { token: result.token, expiresAt: session.expiresAt, actor };
}

/**
 * better-auth, configured once: email and password (no self sign-up: Admins create users),
 * sessions in PostgreSQL through the Prisma adapter, the admin plugin for roles and disabling
 * users, bearer tokens for the JSON API, and Next cookie handling for server actions.
 *
 * Its HTTP routes (/api/auth/*) are deliberately not mounted: the console signs in through a
 * server action and the JSON API through POST /api/v1/sessions, both via lib/auth/sign-in.ts,
 * so there is one sign-in path and its throttle cannot be bypassed.
 *
 * Created on first use (not at module scope: `next build` evaluates route modules without a
 * database) and asynchronously, because its secret may come from the database.
 */
import { createHmac } from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { admin, bearer } from "better-auth/plugins";
import { db } from "@/lib/db/client";
import { CLIENT_ADDRESS_HEADER } from "@/lib/server/trusted-headers";
import { serverSecret } from "@/lib/settings/server-secret";
import { MIN_PASSWORD_LENGTH, SESSION_REFRESH_SECONDS, SESSION_SECONDS } from "./auth-limits";
import { ac, roles } from "./roles";


function createAuth(secret: string, cookies: boolean) {
  return betterAuth({
    appName: "DeployDesk",
    baseURL: process.env.BETTER_AUTH_URL ?? "http://localhost",
    secret,
    database: prismaAdapter(db(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: 256 },
    session: { expiresIn: SESSION_SECONDS, updateAge: SESSION_REFRESH_SECONDS },
    // Sign-in is throttled by lib/auth/sign-in-throttle.ts, in the database, for every process.
    rateLimit: { enabled: false },
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] } },
    telemetry: { enabled: false },
    // A wrong password is an audit event (lib/auth/sign-in.ts), not a warning in the server log.
    logger: { level: "error" },
    plugins: [admin({ ac, roles, defaultRole: "readonly", adminRoles: ["admin"] }), bearer(), ...(cookies ? [nextCookies()] : [])], // nextCookies last
  });
}

export type Auth = ReturnType<typeof createAuth>;
/** "browser" sets the session cookie from server actions; "api" never sets cookies (its callers get a bearer token). */
export type AuthFor = "browser" | "api";

async function authSecret(): Promise<string> {
  const fromEnv = process.env.BETTER_AUTH_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("BETTER_AUTH_SECRET must be at least 32 characters.");
    return fromEnv;
  }
  // Derived from the server secret, so every app node agrees without more configuration, and
  // a leaked session key does not reveal the key that signs download tickets.
  return createHmac("sha256", await serverSecret()).update("deploydesk better-auth").digest("base64url");
}

const g = globalThis as unknown as { deploydeskAuth?: Partial<Record<AuthFor, Promise<Auth>>> };

export function auth(kind: AuthFor = "browser"): Promise<Auth> {
  const cache = (g.deploydeskAuth ??= {});
  return (cache[kind] ??= authSecret()
    .then((secret) => createAuth(secret, kind === "browser"))
    .catch((error) => {
      cache[kind] = undefined;
      throw error;
    }));
}

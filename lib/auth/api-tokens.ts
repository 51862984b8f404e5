/**
 * Long-lived API tokens: an Admin creates one for a user (often a service account) and can
 * revoke it; the token acts with that user's current role, so demoting or disabling the user
 * takes effect at once. The token is shown once at creation; only its hash is kept.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { CLIENT_ADDRESS_HEADER } from "@/lib/server/trusted-headers";
import { hashSecretToken, newSecretToken } from "@/lib/security/token-hash";
import { newApiTokenSchema } from "@/lib/users/user-schemas";
import { parseOrThrow } from "@/lib/validation";
import { actorRole, assertCan, type Actor } from "./actor";

const PREFIX = "ddk_";

export function isApiToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

export type ApiTokenRow = { id: number; name: string; prefix: string; userEmail: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

export async function createApiToken(actor: Actor, input: unknown): Promise<{ token: string; row: ApiTokenRow }> {
  assertCan(actor, { apiToken: ["write"] });
  const { userId, name } = parseOrThrow(newApiTokenSchema, input);
  const user = await db().user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) throw new AppError("VALIDATION_FAILED", "No such user.", { fields: [{ field: "userId", message: "No such user." }] });
  const token = newSecretToken(PREFIX);
  const row = await db().$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { userId, name, tokenHash: hashSecretToken(token), prefix: token.slice(0, PREFIX.length + 6), createdBy: actor.email },
    });
    await recordAudit(actor, "api_token.create", { type: "api_token", id: created.id }, { name, for: user.email }, tx);
    return created;
  });
  return { token, row: { id: row.id, name, prefix: row.prefix, userEmail: user.email, createdAt: row.createdAt, lastUsedAt: null, revokedAt: null } };
}

export async function revokeApiToken(actor: Actor, id: number): Promise<void> {
  assertCan(actor, { apiToken: ["write"] });
  await db().$transaction(async (tx) => {
    const revoked = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (revoked.count === 0) throw new AppError("NOT_FOUND", "No such active token.");
    await recordAudit(actor, "api_token.revoke", { type: "api_token", id }, {}, tx);
  });
}

export async function listApiTokens(actor: Actor): Promise<ApiTokenRow[]> {
  assertCan(actor, { apiToken: ["write"] });
  const rows = await db().apiToken.findMany({ orderBy: { id: "desc" }, include: { user: { select: { email: true } } } });
  return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, userEmail: r.user.email, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt }));
}

/** Last use is recorded at most once a minute per token: an automation polling every second must not write every time. */
const LAST_USED_GRANULARITY_MS = 60_000;

export async function actorFromApiToken(token: string, headers: Headers): Promise<Actor | null> {
  const row = await db().apiToken.findUnique({
    where: { tokenHash: hashSecretToken(token) },
    select: { id: true, revokedAt: true, lastUsedAt: true, user: { select: { id: true, email: true, name: true, role: true, banned: true } } },
  });
  if (!row || row.revokedAt || row.user.banned) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return {
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: actorRole(row.user.role),
    via: "api",
    ipAddress: headers.get(CLIENT_ADDRESS_HEADER),
    userAgent: headers.get("user-agent"),
  };
}

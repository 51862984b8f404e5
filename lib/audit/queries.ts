/** The audit page's read: newest first, filtered, one page at a time by id (no OFFSET). */
import { z } from "zod";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseOrThrow } from "@/lib/validation";

export const auditFilterSchema = z.strictObject({
  user: z.string().trim().max(320).optional(),
  action: z.string().trim().max(64).optional(),
  target: z.string().trim().max(200).optional(),
  before: z.coerce.bigint({ error: "before must be an event number" }).positive().optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export type AuditRow = {
  id: string;
  at: string;
  userEmail: string | null;
  userRole: string | null;
  via: string;
  ipAddress: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** A user target's e-mail address (its id means nothing to a reader); null for other targets. */
  targetName: string | null;
  details: unknown;
};

export const AUDIT_PAGE_SIZE = 100;

export async function listAuditEvents(actor: Actor, input: unknown): Promise<{ rows: AuditRow[]; nextBefore: string | null; filter: AuditFilter }> {
  assertCan(actor, { audit: ["read"] });
  const filter = parseOrThrow(auditFilterSchema, input);
  const where: Prisma.AuditEventWhereInput = {
    ...(filter.user ? { userEmail: { contains: filter.user, mode: "insensitive" } } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.target ? { targetId: filter.target } : {}),
    ...(filter.before ? { id: { lt: filter.before } } : {}),
  };
  const rows = await db().auditEvent.findMany({ where, orderBy: { id: "desc" }, take: AUDIT_PAGE_SIZE + 1 });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const userIds = [...new Set(page.filter((r) => r.targetType === "user" && r.targetId).map((r) => r.targetId!))];
  const users = userIds.length ? await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [];
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return {
    filter,
    nextBefore: rows.length > AUDIT_PAGE_SIZE ? String(page[page.length - 1]!.id) : null,
    rows: page.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      userEmail: r.userEmail,
      userRole: r.userRole,
      via: r.via,
      ipAddress: r.ipAddress,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      targetName: r.targetType === "user" && r.targetId ? (emails.get(r.targetId) ?? null) : null,
      details: r.details,
    })),
  };
}

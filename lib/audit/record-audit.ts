/**
 * The one writer of the audit trail. Call it with the transaction that makes the change, so
 * the trail holds exactly the changes that committed.
 */
import type { Actor } from "@/lib/auth/actor";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AuditAction } from "./actions";

export type AuditTarget = { type: string; id: string | number | bigint };

export async function recordAudit(
  actor: Actor | { email: string; ipAddress: string | null; userAgent: string | null; via: Actor["via"] },
  action: AuditAction,
  target: AuditTarget | null,
  details: Prisma.InputJsonObject = {},
  executor: Tx | ReturnType<typeof db> = db(),
): Promise<void> {
  const user = "userId" in actor && actor.userId ? actor : null;
  await executor.auditEvent.create({
    data: {
      userId: user?.userId ?? null,
      userEmail: actor.email || null,
      userRole: user?.role ?? null,
      via: actor.via,
      ipAddress: actor.ipAddress,
      userAgent: actor.userAgent?.slice(0, 500) ?? null,
      action,
      targetType: target?.type ?? null,
      targetId: target ? String(target.id) : null,
      details,
    },
  });
}

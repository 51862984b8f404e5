/** Rules of the software library shared by upload and edit. */
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { db, type Tx } from "@/lib/db/client";

type Named = { name: string; version: string; platform: string | null; withdrawnAt?: Date | null };

/** "DME client 2.1 (PocketPC 2003, withdrawn)": how refusals name an entry. */
export function describeEntry(e: Named): string {
  const notes = [e.platform, e.withdrawnAt ? "withdrawn" : null].filter(Boolean);
  return `${e.name} ${e.version}${notes.length ? ` (${notes.join(", ")})` : ""}`;
}

export async function duplicateFileOwner(sha256: string): Promise<(Named & { id: number }) | null> {
  return db().software.findFirst({ where: { fileSha256: sha256 }, select: { id: true, name: true, version: true, platform: true, withdrawnAt: true }, orderBy: { id: "asc" } });
}

/**
 * One default build per platform: making an entry the default unmarks the platform's other
 * DME clients, in the same transaction (rows locked first, so two Admins cannot both win).
 */
export async function clearOtherDefaultBuilds(tx: Tx, platform: string | null, exceptId: number | null, actor: Actor): Promise<void> {
  const previous = await tx.$queryRaw<{ id: number; name: string; version: string }[]>`
    SELECT id, name, version FROM software
    WHERE kind = 'DME_CLIENT' AND default_build AND platform IS NOT DISTINCT FROM ${platform}
      AND (${exceptId}::int IS NULL OR id <> ${exceptId}::int)
    FOR UPDATE`;
  if (previous.length === 0) return;
  await tx.software.updateMany({ where: { id: { in: previous.map((p) => p.id) } }, data: { defaultBuild: false } });
  for (const p of previous) await recordAudit(actor, "software.update", { type: "software", id: p.id }, { defaultBuild: false, reason: "another build became the default" }, tx);
}

/** Editing and withdrawing library entries, for the console and the API. */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validation";
import { clearOtherDefaultBuilds, describeEntry } from "./library-rules";
import { instructionColumns, softwarePatchSchema } from "./software-schemas";
import { withdrawSoftware } from "./withdraw-software";

export async function updateSoftware(actor: Actor, id: number, input: unknown): Promise<void> {
  assertCan(actor, { software: ["write"] });
  const patch = parseOrThrow(softwarePatchSchema, input);
  const current = await db().software.findUnique({ where: { id }, select: { id: true, kind: true, name: true, version: true, platform: true, withdrawnAt: true } });
  if (!current) throw new AppError("NOT_FOUND", `No software ${id}.`);
  const columns = instructionColumns(patch);
  if (columns.flags === 0) {
    throw new AppError("VALIDATION_FAILED", "Allow at least one network condition, or the device never downloads.", { fields: [{ field: "lowBandwidth", message: "Choose at least one." }] });
  }
  if (current.kind !== "DME_CLIENT" && (patch.defaultBuild || patch.testBuild)) {
    throw new AppError("VALIDATION_FAILED", "Only DME clients have default and test builds.", { fields: [{ field: "defaultBuild", message: "Not a DME client." }] });
  }
  if (patch.defaultBuild && patch.testBuild) throw new AppError("VALIDATION_FAILED", "A build is either the default or a test build.", { fields: [{ field: "testBuild", message: "Not both." }] });
  if (patch.defaultBuild && current.withdrawnAt) throw new AppError("CONFLICT", `${describeEntry(current)} is withdrawn: it cannot be the default build.`);
  const name = patch.name ?? current.name;
  const version = patch.version ?? current.version;
  if (name !== current.name || version !== current.version) {
    const clash = await db().software.findFirst({ where: { name, version, platform: current.platform, id: { not: id } }, select: { name: true, version: true, platform: true } });
    if (clash) throw new AppError("CONFLICT", `${describeEntry(clash)} already exists.`, { fields: [{ field: "version", message: "This version exists." }] });
  }
  const data = {
    ...columns,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.version !== undefined ? { version: patch.version } : {}),
    ...(patch.defaultBuild !== undefined ? { defaultBuild: patch.defaultBuild } : {}),
    ...(patch.testBuild !== undefined ? { testBuild: patch.testBuild } : {}),
  };
  await db().$transaction(async (tx) => {
    if (patch.defaultBuild) await clearOtherDefaultBuilds(tx, current.platform, id, actor);
    await tx.software.update({ where: { id }, data });
    await recordAudit(actor, "software.update", { type: "software", id }, JSON.parse(JSON.stringify(data)), tx);
  });
}

export async function withdrawSoftwareEntry(actor: Actor, id: number): Promise<number> {
  assertCan(actor, { software: ["write"] });
  const devices = await withdrawSoftware(id);
  await db().software.update({ where: { id }, data: { defaultBuild: false } });
  await recordAudit(actor, "software.withdraw", { type: "software", id }, { devicesLeft: devices });
  return devices;
}

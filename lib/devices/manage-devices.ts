/**
 * Devices registered, edited and removed by an administrator, and their tokens reset. A new
 * device gets a token at once (shown once: the device is configured with it); resetting revokes
 * every token it had, so a lost or stolen device stops being able to talk for it.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validation";
import { newDeviceToken } from "./authenticate-device";
import { hashDeviceToken } from "./credentials";
import { forgetGroupMemberships } from "./device-groups";
import { devicePatchSchema, newDeviceSchema } from "./device-schemas";

export type RegisteredDevice = { id: number; deviceUuid: string; name: string; token: string };

export async function registerDevice(actor: Actor, input: unknown): Promise<RegisteredDevice> {
  assertCan(actor, { device: ["write"] });
  const data = parseOrThrow(newDeviceSchema, input);
  const existing = await db().device.findUnique({ where: { deviceUuid: data.deviceUuid }, select: { name: true } });
  if (existing) throw new AppError("CONFLICT", `The device ${data.deviceUuid} is already registered as ${existing.name}.`, { fields: [{ field: "deviceUuid", message: "Already registered." }] });
  const token = newDeviceToken();
  const device = await db().$transaction(async (tx) => {
    const created = await tx.device.create({
      data: { deviceUuid: data.deviceUuid, name: data.name, platform: data.platform || null, phoneNumber: data.phoneNumber || null, credentials: { create: { tokenHash: hashDeviceToken(token) } } },
      select: { id: true },
    });
    await recordAudit(actor, "device.create", { type: "device", id: data.deviceUuid }, { name: data.name, platform: data.platform || null, phoneNumber: data.phoneNumber || null }, tx);
    return created;
  });
  return { id: device.id, deviceUuid: data.deviceUuid, name: data.name, token };
}

async function findDevice(deviceUuid: string) {
  const device = await db().device.findUnique({ where: { deviceUuid }, select: { id: true, deviceUuid: true, name: true, platform: true, phoneNumber: true } });
  if (!device) throw new AppError("NOT_FOUND", `No device ${deviceUuid}.`);
  return device;
}

export async function updateDevice(actor: Actor, deviceUuid: string, input: unknown): Promise<void> {
  assertCan(actor, { device: ["write"] });
  const patch = parseOrThrow(devicePatchSchema, input);
  const device = await findDevice(deviceUuid);
  const data = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.platform !== undefined ? { platform: patch.platform || null } : {}),
    ...(patch.phoneNumber !== undefined ? { phoneNumber: patch.phoneNumber || null } : {}),
  };
  const changed = Object.fromEntries(Object.entries(data).filter(([k, v]) => device[k as keyof typeof device] !== v));
  if (Object.keys(changed).length === 0) return;
  await db().$transaction(async (tx) => {
    await tx.device.update({ where: { id: device.id }, data: changed });
    const before = Object.fromEntries(Object.keys(changed).map((k) => [k, device[k as keyof typeof device] ?? null]));
    await recordAudit(actor, "device.update", { type: "device", id: deviceUuid }, { before, after: changed }, tx);
  });
}

/** Every token the device had stops working; the new one is returned once. */
export async function resetDeviceToken(actor: Actor, deviceUuid: string): Promise<string> {
  assertCan(actor, { device: ["write"] });
  const device = await findDevice(deviceUuid);
  const token = newDeviceToken();
  await db().$transaction(async (tx) => {
    await tx.deviceCredential.updateMany({ where: { deviceId: device.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.deviceCredential.create({ data: { deviceId: device.id, tokenHash: hashDeviceToken(token) } });
    await recordAudit(actor, "device.token_reset", { type: "device", id: deviceUuid }, {}, tx);
  });
  return token;
}

/** The device, its jobs, log and reports go; the audit trail keeps that it existed. */
export async function removeDevice(actor: Actor, deviceUuid: string): Promise<void> {
  assertCan(actor, { device: ["write"] });
  const device = await findDevice(deviceUuid);
  await db().$transaction(async (tx) => {
    await forgetGroupMemberships(tx, device.id);
    await tx.device.delete({ where: { id: device.id } });
    await recordAudit(actor, "device.remove", { type: "device", id: deviceUuid }, { name: device.name }, tx);
  });
}

/**
 * The settings page (Admin) and per-device overrides: validated here, stored as JSON in
 * server_settings (`device_settings`, `server_options`) and devices.settings, and read back
 * through the same merge functions the device path uses, so what the page shows is what
 * devices get.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validation";
import { applySettingsOverride, DEFAULT_DEVICE_SETTINGS, effectiveDeviceSettings, type DeviceSettings } from "./device-settings";
import { deviceSettingsFormSchema, serverSettingsSchema, type DeviceSettingsForm } from "./settings-schemas";
import { environmentOptions, forgetServerOptions, mergeServerOptions, type ServerOptions } from "./server-options";

export function toForm(s: DeviceSettings): DeviceSettingsForm {
  const m = (sec: number) => Math.round(sec / 60);
  return {
    pollIntervalMinutes: m(s.pollIntervalSeconds),
    failureRetryCount: s.failureRetryCount,
    failureRetryIntervalMinutes: m(s.failureRetryIntervalSeconds),
    softwareInventoryEnabled: s.softwareInventory.enabled,
    softwareInventoryIntervalMinutes: m(s.softwareInventory.intervalSeconds),
    machineInventoryEnabled: s.machineInventory.enabled,
    machineInventoryIntervalMinutes: m(s.machineInventory.intervalSeconds),
    fileCollectionEnabled: s.fileCollection.enabled,
    fileCollectionIntervalMinutes: m(s.fileCollection.intervalSeconds),
  };
}

/** Form values → the stored shape; file filters are kept from `base` (no editor for them yet). */
function fromForm(f: DeviceSettingsForm, base: DeviceSettings): DeviceSettings {
  return applySettingsOverride(base, {
    pollIntervalSeconds: f.pollIntervalMinutes * 60,
    failureRetryCount: f.failureRetryCount,
    failureRetryIntervalSeconds: f.failureRetryIntervalMinutes * 60,
    softwareInventory: { enabled: f.softwareInventoryEnabled, intervalSeconds: f.softwareInventoryIntervalMinutes * 60 },
    machineInventory: { enabled: f.machineInventoryEnabled, intervalSeconds: f.machineInventoryIntervalMinutes * 60 },
    fileCollection: { enabled: f.fileCollectionEnabled, intervalSeconds: f.fileCollectionIntervalMinutes * 60 },
  });
}

async function storedSetting(key: string): Promise<unknown> {
  return (await db().serverSetting.findUnique({ where: { key }, select: { value: true } }))?.value ?? null;
}

export type ServerSettingsView = { device: DeviceSettingsForm; options: ServerOptions; enrollmentSecretSet: boolean; builtIn: DeviceSettingsForm };

export async function getServerSettings(actor: Actor): Promise<ServerSettingsView> {
  assertCan(actor, { settings: ["read"] });
  const [device, options] = await Promise.all([storedSetting("device_settings"), storedSetting("server_options")]);
  return {
    device: toForm(effectiveDeviceSettings(device, null)),
    options: mergeServerOptions(environmentOptions(), options),
    enrollmentSecretSet: Boolean(process.env.DEPLOYDESK_ENROLLMENT_SECRET),
    builtIn: toForm(DEFAULT_DEVICE_SETTINGS),
  };
}

export async function updateServerSettings(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, { settings: ["write"] });
  const form = parseOrThrow(serverSettingsSchema, input);
  const before = await getServerSettings(actor);
  const device = fromForm(form, effectiveDeviceSettings(await storedSetting("device_settings"), null));
  const options: ServerOptions = {
    enrollmentEnabled: form.enrollmentEnabled,
    linkLifetimeSeconds: form.linkLifetimeMinutes * 60,
    tokenRotationDays: form.tokenRotationDays,
    bootstrapSecurity: form.bootstrapSecurity,
    bootstrapPin: form.bootstrapPin,
    bootstrapTimeoutHours: form.bootstrapTimeoutHours,
    stuckJobDays: form.stuckJobDays,
    logRetentionDays: form.logRetentionDays,
  };
  await db().$transaction(async (tx) => {
    for (const [key, value] of [["device_settings", device], ["server_options", options]] as const) {
      const json = value as unknown as Prisma.InputJsonObject;
      await tx.serverSetting.upsert({ where: { key }, create: { key, value: json }, update: { value: json, updatedAt: new Date() } });
    }
    await recordAudit(actor, "settings.update", { type: "settings", id: "server" }, { before: { ...before.device, ...before.options }, after: { ...toForm(device), ...options } } as Prisma.InputJsonObject, tx);
  });
  forgetServerOptions();
}

export type DeviceSettingsView = { effective: DeviceSettingsForm; overridden: boolean };

export async function getDeviceSettings(deviceId: number): Promise<DeviceSettingsView> {
  const [device, server] = await Promise.all([db().device.findUnique({ where: { id: deviceId }, select: { settings: true } }), storedSetting("device_settings")]);
  return { effective: toForm(effectiveDeviceSettings(server, device?.settings ?? null)), overridden: device?.settings != null };
}

/** A device's own poll settings (`reset` returns it to the server's). Takes effect at its next poll. */
export async function updateDeviceSettings(actor: Actor, deviceId: number, input: unknown, reset = false): Promise<void> {
  assertCan(actor, { device: ["write"] });
  const device = await db().device.findUnique({ where: { id: deviceId }, select: { id: true, deviceUuid: true, settings: true } });
  if (!device) throw new AppError("NOT_FOUND", "No such device.");
  const server = effectiveDeviceSettings(await storedSetting("device_settings"), null);
  const next = reset ? null : fromForm(parseOrThrow(deviceSettingsFormSchema, input), server);
  await db().$transaction(async (tx) => {
    await tx.device.update({ where: { id: deviceId }, data: { settings: next === null ? Prisma.DbNull : (next as unknown as Prisma.InputJsonObject) } });
    await recordAudit(actor, "device.settings", { type: "device", id: device.deviceUuid }, { reset, after: next ? toForm(next) : "server settings" } as Prisma.InputJsonObject, tx);
  });
}

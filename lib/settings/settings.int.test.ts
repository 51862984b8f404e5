/**
 * Settings saved from the console reach devices: the poll response's timing, enrollment on
 * and off, and a device's own override. Server-wide rows are removed afterwards, so other
 * tests see the built-in defaults.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { handleDeviceMessage } from "@/lib/device-endpoint/registry";
import type { DeviceRequest } from "@/lib/device-endpoint/types";
import { loadSampleBody } from "@/lib/device-protocol/fixtures";
import { createTestDevice, createTestUser } from "@/lib/testing/factories";
import { getServerSettings, toForm, updateDeviceSettings, updateServerSettings } from "./manage-settings";
import { DEFAULT_DEVICE_SETTINGS } from "./device-settings";
import { forgetServerOptions, serverOptions } from "./server-options";

afterEach(async () => {
  await db().serverSetting.deleteMany({ where: { key: { in: ["device_settings", "server_options"] } } });
  delete process.env.DEPLOYDESK_ENROLLMENT_SECRET;
  forgetServerOptions();
});

function poll(uuid: string, auth: string) {
  const body = loadSampleBody("poll-request").replace("43004500500043000000434550434B5335343934350000000000", uuid);
  const request: DeviceRequest = {
    method: "POST",
    path: "/api/dm",
    query: {},
    headers: { "x-device-uuid": [uuid], "x-device-auth": [auth], "x-device-action": ["Poll"] },
    body: Buffer.from(body),
    origin: "http://localhost",
    remoteAddress: null,
  };
  return handleDeviceMessage(request);
}

const pollInterval = (body: unknown) => /<PollInterval>([^<]*)<\/PollInterval>/.exec(String(body))?.[1];

const form = (patch: Record<string, unknown> = {}) => ({
  ...toForm(DEFAULT_DEVICE_SETTINGS),
  enrollmentEnabled: true,
  linkLifetimeMinutes: 60,
  tokenRotationDays: 30,
  bootstrapSecurity: "USERPIN",
  bootstrapPin: "1234",
  bootstrapTimeoutHours: 24,
  stuckJobDays: 14,
  logRetentionDays: 180,
  ...patch,
});

describe("server settings", () => {
  it("are Admin-only to change, readable by everyone, and validated", async () => {
    const superuser = await createTestUser("superuser");
    const readonly = await createTestUser("readonly");
    await expect(updateServerSettings(superuser.actor, form())).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getServerSettings(readonly.actor)).resolves.toBeTruthy();
    const admin = await createTestUser("admin");
    const bad = await updateServerSettings(admin.actor, form({ pollIntervalMinutes: 0, linkLifetimeMinutes: "x" })).catch((e) => e);
    expect(bad.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(["linkLifetimeMinutes", "pollIntervalMinutes"]);
  });

  it("reach the next poll, and a device's own settings win over them until reset", async () => {
    const admin = await createTestUser("admin");
    const device = await createTestDevice();
    expect(pollInterval((await poll(device.deviceUuid, device.token)).body)).toBe("0000-00-00 01:00:00");
    await updateServerSettings(admin.actor, form({ pollIntervalMinutes: 30, linkLifetimeMinutes: 15 }));
    expect(pollInterval((await poll(device.deviceUuid, device.token)).body)).toBe("0000-00-00 00:30:00");
    expect((await serverOptions()).linkLifetimeSeconds).toBe(900);

    await updateDeviceSettings(admin.actor, device.id, { ...toForm(DEFAULT_DEVICE_SETTINGS), pollIntervalMinutes: 5 });
    expect(pollInterval((await poll(device.deviceUuid, device.token)).body)).toBe("0000-00-00 00:05:00");
    await updateDeviceSettings(admin.actor, device.id, {}, true);
    expect(pollInterval((await poll(device.deviceUuid, device.token)).body)).toBe("0000-00-00 00:30:00");
    const trail = await db().auditEvent.findMany({ where: { userId: admin.id }, select: { action: true }, orderBy: { id: "asc" } });
    expect(trail.map((t) => t.action)).toEqual(["settings.update", "device.settings", "device.settings"]);
  });

  it("turn enrollment off even when the secret is set", async () => {
    process.env.DEPLOYDESK_ENROLLMENT_SECRET = "an enrollment secret for tests";
    const admin = await createTestUser("admin");
    await updateServerSettings(admin.actor, form({ enrollmentEnabled: false }));
    expect((await poll(randomUUID().toUpperCase(), "an enrollment secret for tests")).status).toBe(401);
    await updateServerSettings(admin.actor, form({ enrollmentEnabled: true }));
    expect((await poll(randomUUID().toUpperCase(), "an enrollment secret for tests")).status).toBe(200);
  });
});

/**
 * Device identity (protocol §3) through the device endpoint: enrollment with the server's
 * secret, per-device tokens, rotation that survives a lost response. Real PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { handleDeviceMessage } from "@/lib/device-endpoint/registry";
import type { DeviceRequest } from "@/lib/device-endpoint/types";
import { loadSampleBody } from "@/lib/device-protocol/fixtures";
import { createTestDevice, statusXml } from "@/lib/testing/factories";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});
afterEach(() => {
  delete process.env.DEPLOYDESK_ENROLLMENT_SECRET;
  delete process.env.DEPLOYDESK_TOKEN_ROTATION_DAYS;
});

const SECRET = "enroll-me-please-0123456789";

function send(uuid: string, auth: string, action: "Poll" | "Status", name = "Scanner 42") {
  const body = action === "Poll" ? loadSampleBody("poll-request").replace("43004500500043000000434550434B5335343934350000000000", uuid).replace("WindowsCE", name) : statusXml([]);
  const request: DeviceRequest = {
    method: "POST",
    path: "/api/dm",
    query: {},
    headers: { "x-device-uuid": [uuid], "x-device-auth": [auth], "x-device-action": [action] },
    body: Buffer.from(body),
    origin: "http://localhost",
    remoteAddress: null,
  };
  return handleDeviceMessage(request);
}

const newUuid = () => randomUUID().toUpperCase();

describe("enrollment", () => {
  it("is off without DEPLOYDESK_ENROLLMENT_SECRET: an unknown device gets a bare 401", async () => {
    const res = await send(newUuid(), SECRET, "Poll");
    expect([res.status, res.body]).toEqual([401, "Unauthorized\n"]);
  });

  it("enrolls an unknown device on its first poll with the secret, answers with its own token, and the secret then stops working", async () => {
    process.env.DEPLOYDESK_ENROLLMENT_SECRET = SECRET;
    const uuid = newUuid();
    expect((await send(uuid, "not the secret", "Poll")).status).toBe(401);
    expect((await send(uuid, SECRET, "Status")).status).toBe(401); // enrollment happens on a poll only
    const first = await send(uuid, SECRET, "Poll");
    expect(first.status).toBe(200);
    const token = first.headers["X-Device-Auth"]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const device = await db().device.findUniqueOrThrow({ where: { deviceUuid: uuid }, include: { credentials: true } });
    expect(device).toMatchObject({ name: "Scanner 42", platform: "CEPC platform" });
    expect(device.enrolledAt).not.toBeNull();
    expect(device.credentials.map((c) => c.tokenHash)).not.toContain(token); // stored hashed

    const next = await send(uuid, token, "Poll");
    expect([next.status, next.headers["X-Device-Auth"]]).toEqual([200, undefined]);
    expect((await send(uuid, token, "Status")).status).toBe(200);
    expect((await send(uuid, SECRET, "Poll")).status).toBe(401);
  });

  it("a lost enrollment answer does not lock the device out: the secret works until the first token is used", async () => {
    process.env.DEPLOYDESK_ENROLLMENT_SECRET = SECRET;
    const uuid = newUuid();
    const lost = (await send(uuid, SECRET, "Poll")).headers["X-Device-Auth"]!;
    const again = await send(uuid, SECRET, "Poll");
    const token = again.headers["X-Device-Auth"]!;
    expect(token).not.toBe(lost);
    // Both answers' tokens are valid until the device uses one; then only that one is.
    expect((await send(uuid, token, "Poll")).status).toBe(200);
    expect((await send(uuid, lost, "Poll")).status).toBe(401);
    expect((await send(uuid, SECRET, "Poll")).status).toBe(401);
  });
});

describe("token rotation", () => {
  it("keeps the old token valid until the device has used the new one once, even when a rotation answer is lost", async () => {
    process.env.DEPLOYDESK_TOKEN_ROTATION_DAYS = String(50 / 86_400_000); // 50 ms
    const device = await createTestDevice();
    await new Promise((r) => setTimeout(r, 80));
    const rotated = await send(device.deviceUuid, device.token, "Poll");
    const lostToken = rotated.headers["X-Device-Auth"]!;
    expect(lostToken).toBeTruthy();
    // That answer never arrived: the device goes on with its old token, and gets another new one.
    expect((await send(device.deviceUuid, device.token, "Status")).status).toBe(200);
    const again = await send(device.deviceUuid, device.token, "Poll");
    const newToken = again.headers["X-Device-Auth"]!;
    expect(newToken).toBeTruthy();
    expect(newToken).not.toBe(lostToken);

    delete process.env.DEPLOYDESK_TOKEN_ROTATION_DAYS;
    // Two polls' answers overlapped: whichever token the device kept works.
    expect((await send(device.deviceUuid, newToken, "Poll")).status).toBe(200);
    // Used once: the old token and the other issued one are gone.
    expect((await send(device.deviceUuid, device.token, "Status")).status).toBe(401);
    expect((await send(device.deviceUuid, lostToken, "Status")).status).toBe(401);
    expect((await send(device.deviceUuid, newToken, "Status")).status).toBe(200);
  });

  it("works with rotation turned off (DEPLOYDESK_TOKEN_ROTATION_DAYS=0)", async () => {
    process.env.DEPLOYDESK_TOKEN_ROTATION_DAYS = "0";
    const device = await createTestDevice();
    const res = await send(device.deviceUuid, device.token, "Poll");
    expect([res.status, res.headers["X-Device-Auth"]]).toEqual([200, undefined]);
  });
});

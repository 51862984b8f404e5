/**
 * Devices registered, edited, re-tokened and removed through /api/v1/devices, and what the
 * device itself then sees at the device endpoint.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as register } from "@/app/api/v1/devices/route";
import { DELETE as remove, GET as getOne, PATCH as patch } from "@/app/api/v1/devices/[deviceUuid]/route";
import { GET as jobsOf } from "@/app/api/v1/devices/[deviceUuid]/jobs/route";
import { db } from "@/lib/db/client";
import { handleDeviceMessage } from "@/lib/device-endpoint/registry";
import { createTestBearer, statusXml } from "@/lib/testing/factories";
import { resetDeviceToken } from "./manage-devices";

const tokenFor = createTestBearer;

const json = (token: string, method: string, body?: unknown) =>
  new Request("http://local/api/v1/devices", { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
const at = (uuid: string) => ({ params: Promise.resolve({ deviceUuid: encodeURIComponent(uuid) }) });

function status(uuid: string, token: string) {
  return handleDeviceMessage({
    method: "POST",
    path: "/api/dm",
    query: {},
    headers: { "x-device-uuid": [uuid], "x-device-auth": [token], "x-device-action": ["Status"] },
    body: Buffer.from(statusXml([])),
    origin: "http://localhost",
    remoteAddress: null,
  });
}

describe("/api/v1/devices", () => {
  it("registers a device whose token works at the device endpoint, edits it, and removes it", async () => {
    const { token, user } = await tokenFor("superuser");
    const uuid = randomUUID().replaceAll("-", "").toUpperCase();
    const created = await register(json(token, "POST", { deviceUuid: uuid, name: "Van 12", phoneNumber: "+44 (20) 7946-0958" }), { params: Promise.resolve({}) });
    expect(created.status).toBe(201);
    const { token: deviceToken } = (await created.json()) as { token: string };
    expect((await status(uuid, deviceToken)).status).toBe(200);

    const again = await register(json(token, "POST", { deviceUuid: uuid, name: "Twice" }), { params: Promise.resolve({}) });
    expect(again.status).toBe(409);

    const edited = await patch(json(token, "PATCH", { name: "Van 12b", platform: "PocketPC 2003" }), at(uuid));
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ deviceUuid: uuid, name: "Van 12b", platform: "PocketPC 2003", phoneNumber: "+442079460958" });
    expect((await patch(json(token, "PATCH", { phoneNumber: "call me" }), at(uuid))).status).toBe(422);
    expect((await patch(json(token, "PATCH", { deviceUuid: "other" }), at(uuid))).status).toBe(422);
    expect(await (await jobsOf(json(token, "GET"), at(uuid))).json()).toEqual({ installing: [], installed: [] });

    expect((await remove(json(token, "DELETE"), at(uuid))).status).toBe(204);
    expect((await getOne(json(token, "GET"), at(uuid))).status).toBe(404);
    expect((await status(uuid, deviceToken)).status).toBe(401);
    const trail = await db().auditEvent.findMany({ where: { userId: user.id }, orderBy: { id: "asc" }, select: { action: true } });
    expect(trail.map((t) => t.action)).toEqual(["auth.sign_in", "device.create", "device.update", "device.remove"]);
  });

  it("a token reset locks out every earlier token", async () => {
    const { token, user } = await tokenFor("admin");
    const uuid = randomUUID().toUpperCase();
    const { token: first } = (await (await register(json(token, "POST", { deviceUuid: uuid, name: "Scanner" }), { params: Promise.resolve({}) })).json()) as { token: string };
    const second = await resetDeviceToken(user.actor, uuid);
    expect((await status(uuid, first)).status).toBe(401);
    expect((await status(uuid, second)).status).toBe(200);
  });

  it("is refused to Read-only users, and unknown devices are 404", async () => {
    const { token } = await tokenFor("readonly");
    expect((await register(json(token, "POST", { deviceUuid: "X1", name: "x" }), { params: Promise.resolve({}) })).status).toBe(403);
    expect((await getOne(json(token, "GET"), at("NO-SUCH-DEVICE"))).status).toBe(404);
    expect((await remove(json(token, "DELETE"), at("NO-SUCH-DEVICE"))).status).toBe(403);
  });
});

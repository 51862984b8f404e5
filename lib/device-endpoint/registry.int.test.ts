/**
 * The transport-independent device endpoint, called with plain requests as both the Next route
 * and the lean device server call it. Real PostgreSQL (DATABASE_URL).
 */
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { createTestDevice, statusXml } from "@/lib/testing/factories";
import { nextDeviceRoute } from "./next-adapter";
import { handleDeviceMessage } from "./registry";
import type { DeviceRequest } from "./types";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

function request(headers: Record<string, string | string[]>, body = "", method = "POST"): DeviceRequest {
  const h: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) h[name.toLowerCase()] = Array.isArray(value) ? value : [value];
  return { method, path: "/api/dm", query: {}, headers: h, body: Buffer.from(body), origin: "http://localhost", remoteAddress: null };
}

describe("handleDeviceMessage", () => {
  it("dispatches on X-Device-Action and answers with status, reason phrase and headers", async () => {
    const device = await createTestDevice();
    const id = { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token };
    const ok = await handleDeviceMessage(request({ ...id, "X-Device-Action": "Status" }, statusXml([])));
    expect([ok.status, ok.reason, ok.body]).toEqual([200, "OK", ""]);

    const get = await handleDeviceMessage(request(id, "", "GET"));
    expect([get.status, get.reason, get.headers.allow]).toEqual([405, "Method Not Allowed", "POST"]);

    const twice = await handleDeviceMessage(request({ ...id, "X-Device-Action": ["Status", "Poll"] }, statusXml([])));
    expect([twice.status, String(twice.body)]).toEqual([400, expect.stringMatching(/X-Device-Action header is sent 2 times/)]);

    const noType = await handleDeviceMessage(request({ ...id, "X-Device-Action": "Report" }, "<FileReport/>"));
    expect([noType.status, String(noType.body)]).toEqual([400, expect.stringMatching(/X-Device-ReportType/)]);
    const badType = await handleDeviceMessage(request({ ...id, "X-Device-Action": "Report", "X-Device-ReportType": "Weather" }, "<FileReport/>"));
    expect(badType.status).toBe(400);

    const unknownAction = await handleDeviceMessage(request({ ...id, "X-Device-Action": "Dance" }));
    expect([unknownAction.status, String(unknownAction.body)]).toEqual([400, expect.stringMatching(/Unknown X-Device-Action "Dance"/)]);
  });

  it("refuses every identity failure with the same bare 401, the reason kept out of the answer", async () => {
    const device = await createTestDevice();
    const answers = await Promise.all([
      handleDeviceMessage(request({ "X-Device-Action": "Status" })),
      handleDeviceMessage(request({ "X-Device-UUID": device.deviceUuid, "X-Device-Action": "Status" })),
      handleDeviceMessage(request({ "X-Device-UUID": "NOPE", "X-Device-Auth": device.token, "X-Device-Action": "Status" })),
      handleDeviceMessage(request({ "X-Device-UUID": device.deviceUuid, "X-Device-Auth": "wrong", "X-Device-Action": "Status" })),
    ]);
    for (const a of answers) expect([a.status, a.reason, a.body]).toEqual([401, "Unauthorized", "Unauthorized\n"]);
  });

  it("refuses a body over the limit with 413 before reading it all (Next adapter)", async () => {
    const route = nextDeviceRoute(handleDeviceMessage);
    const big = new Request("http://localhost/api/dm", { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
    const res = await route(big);
    expect([res.status, res.statusText]).toEqual([413, "Payload Too Large"]);
  });
});

/**
 * Bad input on the lean device path, over real HTTP (the node:http app server in-process):
 * every message type with malformed XML, the wrong root, missing or duplicated headers, an
 * unknown action, a body over the limit, a wrong content type or entity tricks gets a clear
 * 4xx with its reason, changes nothing, and the server keeps serving. Real PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { loadSampleBody } from "@/lib/device-protocol/fixtures";
import { createAppServer, notFoundFallback } from "@/lib/server/app-server";
import { createTestDevice, createTestJob, createTestSoftware, statusXml, type TestDevice } from "@/lib/testing/factories";

let server: Server;
let port: number;
beforeAll(async () => {
  server = createAppServer(notFoundFallback);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await db().$disconnect();
  await closeSql();
});

/** Raw headers as a list, so a header can be sent twice. */
function send(headers: [string, string][], body: string | Buffer = "", method = "POST", path = "/devicemgmt/server.aspx"): Promise<{ status: number; reason: string; text: string }> {
  return new Promise((resolve, reject) => {
    const buf = Buffer.from(body);
    // An array value sends the header once per element: how a duplicate is sent.
    const h: Record<string, string[]> = { "Content-Length": [String(buf.length)] };
    for (const [name, value] of headers) (h[name] ??= []).push(value);
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, reason: res.statusMessage!, text: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(buf);
  });
}

type Kind = { action: string; reportType?: string; good: (d: TestDevice, packageId: string) => string };
const KINDS: Kind[] = [
  { action: "Poll", good: (d) => loadSampleBody("poll-request").replace("43004500500043000000434550434B5335343934350000000000", d.deviceUuid) },
  { action: "InstructionRequest", good: (_d, p) => `<InstructionsRequest><Package ID="${p}"/></InstructionsRequest>` },
  { action: "LocationRequest", good: (_d, p) => `<PackageLocationRequest><PackageID>${p}</PackageID></PackageLocationRequest>` },
  { action: "Status", good: (_d, p) => statusXml([{ packageId: p, messageId: "11030", timestamp: "2026-11-20 10:00:00" }]) },
  { action: "Report", reportType: "SoftwareInventory", good: () => loadSampleBody("software-inventory") },
  { action: "Report", reportType: "MachineInventory", good: () => loadSampleBody("machine-inventory-ce421") },
];

function headersFor(d: TestDevice, k: Kind, extra: [string, string][] = []): [string, string][] {
  return [
    ["X-Device-UUID", d.deviceUuid],
    ["X-Device-Auth", d.token],
    ["X-Device-Action", k.action],
    ...(k.reportType ? ([["X-Device-ReportType", k.reportType]] as [string, string][]) : []),
    ["X-Device-client-version", "9.9"],
    ...extra,
  ];
}

/** Everything a device message can change. */
async function snapshot(deviceId: number) {
  const [device, messages, log, inventories, files, jobs, credentials] = await Promise.all([
    db().device.findUniqueOrThrow({ where: { id: deviceId } }),
    db().deviceMessage.count({ where: { deviceId } }),
    db().installationLogEntry.count({ where: { deviceId } }),
    db().deviceInventory.count({ where: { deviceId } }),
    db().collectedFile.count({ where: { deviceId } }),
    db().installationJob.findMany({ where: { deviceId }, orderBy: { id: "asc" } }),
    db().deviceCredential.findMany({ where: { deviceId }, orderBy: { id: "asc" } }),
  ]);
  return { device, messages, log, inventories, files, jobs, credentials };
}

describe("bad device input changes nothing and gets a 4xx with its reason", () => {
  it.each(KINDS.map((k) => [k.reportType ?? k.action, k] as const))("%s", async (_name, kind) => {
    const device = await createTestDevice({ clientVersion: "1.0" });
    const software = await createTestSoftware();
    await createTestJob(device.id, software.id);
    const before = await snapshot(device.id);
    const good = kind.good(device, software.packageId);
    const wrongRoot = kind.action === "Status" ? "<DevicePoll/>" : "<Status/>";
    const cases: [string, [string, string][], string | Buffer, number][] = [
      ["malformed XML", headersFor(device, kind), good.slice(0, Math.floor(good.length / 2)) + "<<", 400],
      ["the wrong root element", headersFor(device, kind), wrongRoot, 400],
      ["an empty body", headersFor(device, kind), "", 400],
      ["random bytes", headersFor(device, kind), randomBytes(300), 400],
      ["an external entity", headersFor(device, kind), `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${good}`, 400],
      ["an undeclared entity", headersFor(device, kind), good.replace(/(<(?!\?)[^>]*>)/, "$1&e;"), 400],
      ["a JSON content type", headersFor(device, kind, [["Content-Type", "application/json"]]), good, 415],
      ["a UTF-16 charset", headersFor(device, kind, [["Content-Type", "text/xml; charset=utf-16"]]), good, 415],
      ["X-Device-Action twice", [...headersFor(device, kind), ["X-Device-Action", kind.action]], good, 400],
      ["X-Device-UUID twice", [...headersFor(device, kind), ["X-Device-UUID", device.deviceUuid]], good, 400],
      ["no X-Device-Action", headersFor(device, kind).filter(([n]) => n !== "X-Device-Action"), good, 400],
      ["an unknown action", headersFor(device, kind).map(([n, v]) => [n, n === "X-Device-Action" ? "Dance" : v] as [string, string]), good, 400],
      ["no X-Device-Auth", headersFor(device, kind).filter(([n]) => n !== "X-Device-Auth"), good, 401],
      ["a wrong token", headersFor(device, kind).map(([n, v]) => [n, n === "X-Device-Auth" ? "nope" : v] as [string, string]), good, 401],
      ["a body over 1 MiB", headersFor(device, kind), Buffer.alloc(1024 * 1024 + 1, 0x41), 413],
    ];
    for (const [what, headers, body, status] of cases) {
      const res = await send(headers, body);
      expect(res.status, `${what}: ${res.text}`).toBe(status);
      expect(res.reason, what).toMatch(/^(Bad Request|Unauthorized|Payload Too Large|Unsupported Media Type)$/);
      if (status !== 401) expect(res.text.length, what).toBeGreaterThan(res.reason.length + 2); // says why
    }
    expect(await snapshot(device.id)).toEqual(before);
    // And the server keeps serving: the good message is accepted.
    const ok = await send(headersFor(device, kind), good);
    expect(ok.status, ok.text).toBe(200);
  });

  it("a FileCollection report needs its file name header; other methods and paths are refused", async () => {
    const device = await createTestDevice();
    const before = await snapshot(device.id);
    const headers: [string, string][] = [["X-Device-UUID", device.deviceUuid], ["X-Device-Auth", device.token], ["X-Device-Action", "Report"], ["X-Device-ReportType", "FileCollection"]];
    expect((await send(headers, randomBytes(100))).status).toBe(400);
    expect((await send(headers, randomBytes(100), "PUT")).status).toBe(405);
    expect((await send(headers, "", "TRACE")).status).toBe(405);
    expect((await send(headers, "", "GET", "/devices/%C0%AF")).status).toBe(400);
    expect((await send([...headers, ["X-Device-FullyQualifiedFilename", "x"], ["X-Device-FullyQualifiedFilename", "y"]], randomBytes(100))).status).toBe(400);
    expect(await snapshot(device.id)).toEqual(before);
    expect((await send([...headers, ["X-Device-FullyQualifiedFilename", "\\\\a\\b.txt"], ["Content-Type", "application/octet-stream"]], randomBytes(100))).status).toBe(200);
  });
});

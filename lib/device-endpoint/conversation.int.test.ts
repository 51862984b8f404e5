/**
 * The whole CE conversation through the shared device endpoint, as plain requests (what both
 * the Next route and the lean server mount): poll → instructions → location → download
 * (resumed with Range) → status reports → inventories, and the refusals along the way.
 * Real PostgreSQL, real file store.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { headerLinesToRecord, loadSampleBody, SAMPLE_POLL_HEADER_LINES } from "@/lib/device-protocol/fixtures";
import { parseXmlDocument, childrenOf, attribute, textOf } from "@/lib/device-protocol/xml";
import { servePackage } from "@/lib/downloads/serve-package";
import { signTicket } from "@/lib/downloads/ticket";
import { describeLogEntry, toLogEntry } from "@/lib/installation-log/entries";
import { cancelJob } from "@/lib/installation-jobs/cancel-job";
import { serverSecret } from "@/lib/settings/server-secret";
import { withdrawSoftware } from "@/lib/software/withdraw-software";
import { createTestDevice, createTestJob, createTestSoftware, statusXml, type TestDevice } from "@/lib/testing/factories";
import { handleDeviceMessage } from "./registry";
import type { DeviceRequest, DeviceResponse } from "./types";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

const ORIGIN = "http://dm.example.test:8080";

function req(method: string, path: string, headers: Record<string, string>, body: string | Buffer = ""): DeviceRequest {
  const h: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = [v];
  return { method, path, query: {}, headers: h, body: Buffer.from(body), origin: ORIGIN, remoteAddress: "127.0.0.1" };
}

function post(device: TestDevice, action: string, body: string | Buffer, extra: Record<string, string> = {}) {
  return handleDeviceMessage(req("POST", "/api/dm", { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token, "X-Device-Action": action, ...extra }, body));
}

async function bodyOf(res: DeviceResponse): Promise<Buffer> {
  if (res.body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c as Buffer);
    await res.onSent?.();
    return Buffer.concat(chunks);
  }
  await res.onSent?.();
  return Buffer.from(res.body);
}

function pollBody(device: TestDevice) {
  return loadSampleBody("poll-request").replace("43004500500043000000434550434B5335343934350000000000", device.deviceUuid);
}

function packagesOf(pollXml: string): string[] {
  const { root } = parseXmlDocument(pollXml);
  return childrenOf(childrenOf(root, "ApplicablePackages")[0]!, "Package").map((p) => attribute(p, "ID")!);
}

const jobOf = (id: number) => db().installationJob.findUniqueOrThrow({ where: { id } });
async function logTexts(jobId: number) {
  const rows = await db().installationLogEntry.findMany({ where: { jobId }, orderBy: { id: "asc" } });
  return rows.map((r) => describeLogEntry(toLogEntry(r.code, r.data), r));
}

describe("the CE conversation, end to end", () => {
  it("poll, instructions, location, resumed download and reports take a Mark-for-Installation job to Downloaded", async () => {
    const file = randomBytes(200_000);
    const device = await createTestDevice();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", file);
    const job = await createTestJob(device.id, software.id, "MARK_FOR_INSTALLATION");

    // Poll: the sample's headers and body, this device's identity.
    const pollHeaders = { ...headerLinesToRecord(SAMPLE_POLL_HEADER_LINES), "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token };
    const poll = await handleDeviceMessage(req("POST", "/api/dm", pollHeaders, pollBody(device)));
    expect([poll.status, poll.reason, poll.headers["content-type"]]).toEqual([200, "OK", "text/xml; charset=utf-8"]);
    expect(poll.headers["X-Device-Timestamp"]).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} (AM|PM)$/);
    const pollXml = String(poll.body);
    expect(packagesOf(pollXml)).toEqual([software.packageId]);
    expect(pollXml).toContain("<PollServer>dm.example.test:8080</PollServer>");
    expect(pollXml).toContain("<PollInterval>0000-00-00 01:00:00</PollInterval>");
    const stored = await db().device.findUniqueOrThrow({ where: { id: device.id } });
    expect(stored).toMatchObject({ platform: "CEPC platform", pollCursor: poll.headers["X-Device-Timestamp"] });
    expect(stored.identification).toMatchObject({ deviceName: "WindowsCE", userName: "KenKwok", codePage: "437" });
    expect(stored.lastPollAt).not.toBeNull();

    // Instructions, from the software entry.
    const instr = await post(device, "InstructionRequest", `<InstructionsRequest xmlns="http://www.microsoft.com/DeviceManagement.xsd"><Package ID="${software.packageId.toLowerCase()}" /></InstructionsRequest>`);
    expect(instr.status).toBe(200);
    expect(String(instr.body)).toContain(`<ID>${software.packageId}</ID>`);
    expect(String(instr.body)).toContain(`<PackageSize>${file.length}</PackageSize>`);
    expect(String(instr.body)).toContain("<Flags>03 00 00 00</Flags>");

    // Location: a signed link to this job's package on this server.
    const loc = await post(device, "LocationRequest", `<PackageLocationRequest><PackageID>${software.packageId}</PackageID></PackageLocationRequest>`);
    expect(loc.status).toBe(200);
    const url = new URL(textOf(childrenOf(childrenOf(childrenOf(childrenOf(parseXmlDocument(String(loc.body)).root, "Locations")[0]!, "Location")[0]!, "HTTP")[0]!, "URL")[0]!));
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname).toMatch(/^\/packages\/[^/]+\/setup\.cab$/);

    // The device starts, the connection breaks after 50,000 bytes, it resumes with Range.
    expect((await post(device, "Status", statusXml([{ packageId: software.packageId, messageId: "11030", timestamp: "2026-11-20 10:00:00" }]))).status).toBe(200);
    const head = await servePackage(req("HEAD", url.pathname, {}));
    expect([head.status, head.headers["content-length"], head.headers.etag, head.headers["accept-ranges"]]).toEqual([200, String(file.length), `"${software.sha256}"`, "bytes"]);
    const first = await servePackage(req("GET", url.pathname, { Range: "bytes=0-49999" }));
    expect([first.status, first.headers["content-range"]]).toEqual([206, `bytes 0-49999/${file.length}`]);
    const part1 = await bodyOf(first);
    expect((await jobOf(job.id)).status).toBe("INSTALLING_SOFTWARE");
    const rest = await servePackage(req("GET", url.pathname, { Range: "bytes=50000-", "If-Range": `"${software.sha256}"` }));
    expect(rest.status).toBe(206);
    const whole = Buffer.concat([part1, await bodyOf(rest)]);
    expect(createHash("sha256").update(whole).digest("hex")).toBe(software.sha256);
    // The CE client's own reports complete the job, not the download.
    expect((await jobOf(job.id)).status).toBe("INSTALLING_SOFTWARE");
    const beyond = await servePackage(req("GET", url.pathname, { Range: `bytes=${file.length}-` }));
    expect([beyond.status, beyond.headers["content-range"]]).toEqual([416, `bytes */${file.length}`]);

    await post(device, "Status", statusXml([{ packageId: software.packageId, messageId: "11031", timestamp: "2026-11-20 10:01:00" }]));
    await post(device, "Status", statusXml([{ packageId: software.packageId, messageId: "11035", timestamp: "2026-11-20 10:01:05" }]));
    expect(await jobOf(job.id)).toMatchObject({ status: "DOWNLOADED", lastMessageId: "11031" });
    expect(await logTexts(job.id)).toEqual([
      "Installation job created (Mark for Installation)",
      "Instructions sent to the device",
      expect.stringMatching(/^Download location sent \(link valid until .* UTC\)$/),
      "Starting package download",
      `Package download started (${file.length.toLocaleString("en-US")} bytes)`,
      `Package download resumed at byte 50,000 of ${file.length.toLocaleString("en-US")}`,
      `Package served to its last byte (${file.length.toLocaleString("en-US")} bytes)`,
      "Package download successful",
      "Execution successful",
    ]);
    // Still on the list: the device keeps what it installed.
    expect(packagesOf(String((await post(device, "Poll", pollBody(device))).body))).toEqual([software.packageId]);
  });

  it("refuses instructions and locations for a package the device has no live job for, and logs it", async () => {
    const device = await createTestDevice();
    const mine = await createTestSoftware();
    const other = await createTestSoftware();
    await createTestJob(device.id, mine.id, "SMS_PUSH"); // pushed by message: not a poll package
    for (const [action, body] of [
      ["InstructionRequest", `<InstructionsRequest><Package ID="${other.packageId}"/></InstructionsRequest>`],
      ["LocationRequest", `<PackageLocationRequest><PackageID>${mine.packageId}</PackageID></PackageLocationRequest>`],
    ] as const) {
      const res = await post(device, action, body);
      expect([res.status, res.reason, String(res.body)]).toEqual([404, "Not Found", expect.stringMatching(/No installation job on this device for package/)]);
    }
    const refused = await db().installationLogEntry.findMany({ where: { deviceId: device.id, code: "PACKAGE_REFUSED" }, orderBy: { id: "asc" } });
    expect(refused.map((r) => r.data)).toEqual([
      { packageId: other.packageId, request: "InstructionRequest" },
      { packageId: mine.packageId, request: "LocationRequest" },
    ]);
  });

  it("takes a package off the next poll when its job is cancelled or its software withdrawn (removal by omission)", async () => {
    const device = await createTestDevice();
    const [a, b, c] = await Promise.all([createTestSoftware("OTHER_SOFTWARE", "1.0", randomBytes(100)), createTestSoftware(), createTestSoftware()]);
    const jobA = await createTestJob(device.id, a.id);
    await createTestJob(device.id, b.id);
    await createTestJob(device.id, c.id);
    const list = async () => packagesOf(String((await post(device, "Poll", pollBody(device))).body)).sort();
    expect(await list()).toEqual([a.packageId, b.packageId, c.packageId].sort());
    await cancelJob(jobA.id);
    expect(await list()).toEqual([b.packageId, c.packageId].sort());
    expect(await withdrawSoftware(b.id)).toBe(1);
    expect(await list()).toEqual([c.packageId]);
    // A cancelled job stays as it was, whatever the device still reports.
    await post(device, "Status", statusXml([{ packageId: a.packageId, messageId: "11031", timestamp: "2026-11-20 10:00:00" }]));
    expect(await jobOf(jobA.id)).toMatchObject({ status: "WAITING_FOR_DOWNLOAD" });
    await expect(cancelJob(jobA.id)).rejects.toThrow(/already cancelled/);
    // A link handed out before the cancel no longer serves the file.
    const ticket = signTicket({ jobId: jobA.id, expiresAt: new Date(Date.now() + 60_000), via: "client" }, await serverSecret());
    expect((await servePackage(req("GET", `/packages/${ticket}/setup.cab`, {}))).status).toBe(404);
  });

  it("never serves a file for a forged, altered or expired link; the expiry is logged on the job", async () => {
    const device = await createTestDevice();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", randomBytes(1000));
    const job = await createTestJob(device.id, software.id);
    const secret = await serverSecret();
    const expired = signTicket({ jobId: job.id, expiresAt: new Date(Date.now() - 1000), via: "client" }, secret);
    const gone = await servePackage(req("GET", `/packages/${expired}/setup.cab`, {}));
    expect([gone.status, gone.reason]).toEqual([410, "Gone"]);
    const valid = signTicket({ jobId: job.id, expiresAt: new Date(Date.now() + 60_000), via: "client" }, secret);
    const otherJob = valid.replace(/^\d+/, String(job.id + 1));
    for (const ticket of [otherJob, `${valid.slice(0, -2)}AA`, "1.2.c.xxxxxxxxxxxxxxxxxxxxxx"]) {
      const res = await servePackage(req("GET", `/packages/${ticket}/setup.cab`, {}));
      expect([res.status, res.reason]).toEqual([403, "Forbidden"]);
    }
    expect((await logTexts(job.id)).at(-1)).toMatch(/^Download link opened after it expired/);
    expect((await jobOf(job.id)).status).toBe("WAITING_FOR_DOWNLOAD");
  });

  it("a push link (opened outside the CE client) completes the job when the whole file is served", async () => {
    const device = await createTestDevice();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", randomBytes(5000));
    const job = await createTestJob(device.id, software.id, "SMS_PUSH");
    const ticket = signTicket({ jobId: job.id, expiresAt: new Date(Date.now() + 60_000), via: "link" }, await serverSecret());
    // The last byte alone proves nothing about the rest.
    const tail = await servePackage(req("GET", `/packages/${ticket}/setup.cab`, { Range: "bytes=-1" }));
    expect([tail.status, (await bodyOf(tail)).length]).toEqual([206, 1]);
    expect((await jobOf(job.id)).status).toBe("INSTALLING_SOFTWARE");
    const res = await servePackage(req("GET", `/packages/${ticket}/setup.cab`, {}));
    expect(res.status).toBe(200);
    expect((await bodyOf(res)).length).toBe(5000);
    expect((await jobOf(job.id)).status).toBe("DOWNLOADED");
  });

  it("stores inventories and collected files; the machine inventory's client version verifies", async () => {
    const device = await createTestDevice({ clientVersion: "1.0" });
    const dme = await createTestSoftware("DME_CLIENT", "2.1");
    const job = await createTestJob(device.id, dme.id, "SMS_PUSH");
    await post(device, "Status", statusXml([{ packageId: dme.packageId, messageId: "11031", timestamp: "2026-11-20 10:00:00" }]));
    expect((await jobOf(job.id)).status).toBe("DOWNLOADED_WAITING_FOR_VERIFICATION");

    const sw = await post(device, "Report", loadSampleBody("software-inventory"), { "X-Device-ReportType": "SoftwareInventory" });
    expect(sw.status).toBe(200);
    const machine = loadSampleBody("machine-inventory-ce421").replace("</Inventory>", `<InventoryItem name="Device_DMClient"><Property name="Version">2.1</Property></InventoryItem>\n</Inventory>`);
    expect((await post(device, "Report", machine, { "X-Device-Reporttype": "MachineInventory" })).status).toBe(200);
    const bytes = randomBytes(3000);
    expect((await post(device, "Report", bytes, { "X-Device-ReportType": "FileCollection", "X-Device-FullyQualifiedFilename": "\\\\myDir\\apps\\notepad.exe" })).status).toBe(200);
    expect((await post(device, "Report", bytes, { "X-Device-ReportType": "FileCollection" })).status).toBe(400);

    const inventories = await db().deviceInventory.findMany({ where: { deviceId: device.id }, orderBy: { id: "asc" } });
    expect(inventories.map((i) => i.kind)).toEqual(["SOFTWARE", "MACHINE"]);
    expect((inventories[0]!.data as { files: unknown[] }).files).toHaveLength(4);
    const [collected] = await db().collectedFile.findMany({ where: { deviceId: device.id } });
    expect(collected).toMatchObject({ path: "\\\\myDir\\apps\\notepad.exe", size: 3000n, sha256: createHash("sha256").update(bytes).digest("hex") });
    expect(await jobOf(job.id)).toMatchObject({ status: "DOWNLOADED_VERIFIED" });
    expect((await db().device.findUniqueOrThrow({ where: { id: device.id } })).clientVersion).toBe("2.1");
  });
});

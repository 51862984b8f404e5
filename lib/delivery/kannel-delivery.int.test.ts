/**
 * Delivery through a real Kannel (lib/testing/kannel.ts), the test playing the SMS centre: an
 * install's SMS, WAP push and bootstrap arrive as a phone would get them, the link works, the
 * gateway's delivery reports come back to this server's report route over HTTP, an outage is
 * retried without a duplicate, and a worker process killed between the commit and the send
 * costs only a delay.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl, db } from "@/lib/db/client";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";
import { serverSecret } from "@/lib/settings/server-secret";
import { createTestDevice, createTestSoftware, createTestUser } from "@/lib/testing/factories";
import { startKannel, type KannelInstance, type SmscMessage } from "@/lib/testing/kannel";
import { startReportServer, type ReportServer } from "@/lib/testing/report-server";
import { bootstrapAccount } from "./bootstrap-account";
import { deliveryConfig } from "./delivery-config";
import { startOutboxWorker, type OutboxWorker } from "./outbox-worker";
import { configuredTransports } from "./transports";
import { decodeProvisioningDoc, dmAccountFromDoc } from "./wap/provisioning";
import { decodeSi } from "./wap/si";
import { decodeWspPush } from "./wap/wsp";

let kannel: KannelInstance;
let server: ReportServer;
let origin: string;
let worker: OutboxWorker | null = null;
const children: ChildProcess[] = [];

const env = () => ({ DEPLOYDESK_KANNEL_SENDSMS_URL: kannel.sendsmsUrl, DEPLOYDESK_KANNEL_PPG_URL: kannel.ppgUrl, DEPLOYDESK_SMS_SENDER: "4242" });

async function startWorker(): Promise<OutboxWorker> {
  return startOutboxWorker({
    databaseUrl: databaseUrl(),
    transports: configuredTransports(deliveryConfig(env())),
    concurrency: 2,
    policy: { baseMs: 300, capMs: 1_000, maxAttempts: 20 },
    callbackBase: origin,
    log: () => undefined,
  });
}

beforeAll(async () => {
  kannel = await startKannel();
  server = await startReportServer();
  origin = server.origin;
  worker = await startWorker();
});

afterAll(async () => {
  await worker?.stop();
  for (const child of children) child.kill("SIGKILL");
  await kannel?.stop();
  await server?.close();
});

let phone = 15557000000 + Math.floor(Math.random() * 100_000) * 10;
async function install(method: "SMS_PUSH" | "WAP_PUSH" | "OMA_DM") {
  const { actor } = await createTestUser("superuser");
  const device = await createTestDevice();
  const phoneNumber = `+${phone++}`;
  await db().device.update({ where: { id: device.id }, data: { phoneNumber } });
  const file = Buffer.from(`kannel delivery ${Math.random()}`);
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", file);
  const { jobs } = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method, ...(method === "OMA_DM" ? { fallbackMethod: "SMS_PUSH" } : {}) }, origin);
  return { device, phoneNumber, file, jobId: jobs[0]!.id, software };
}

const toPhone = (phoneNumber: string) => (m: SmscMessage) => m.to === phoneNumber;
const messagesOf = (jobId: number) => db().outboundMessage.findMany({ where: { jobId }, include: { events: { orderBy: { id: "asc" } } }, orderBy: { id: "asc" } });

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

describe("SMS push through Kannel", () => {
  it("arrives at the SMS centre with a working link; the reports come back; opening the link installs", async () => {
    const { phoneNumber, file, jobId } = await install("SMS_PUSH");
    const sms = await kannel.smsc.next(toPhone(phoneNumber), 15_000);
    expect(sms).toMatchObject({ from: "4242", kind: "text" });
    const link = /(http:\/\/\S+)$/.exec(sms.text ?? "")?.[1];
    expect(sms.text).toMatch(/^Install .* 1\.0: http:\/\/127\.0\.0\.1:\d+\/packages\//);

    const [message] = await eventually(() => messagesOf(jobId), ([m]) => m?.state === "delivered");
    expect(message).toMatchObject({ state: "delivered", attempts: 1, transport: "kannel-sendsms" });
    expect(message!.events.map((e) => e.kind)).toEqual(["attempt", "answer", "report", "report"]);
    // Kannel makes both callbacks at once: they may be stored in either order, and "delivered" stays.
    const details = message!.events.map((e) => e.detail).join("\n");
    expect(details).toMatch(/DLR 8: accepted by the SMS centre/);
    expect(details).toMatch(/DLR 1: delivered to the phone/);

    const opened = await fetch(link!);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(file)).toBe(true);
    // The download is recorded once the last byte has gone out, just after the response ended.
    const job = await eventually(() => db().installationJob.findUniqueOrThrow({ where: { id: jobId } }), (j) => j.status === "DOWNLOADED");
    expect(job.status).toBe("DOWNLOADED");
    const codes = (await db().installationLogEntry.findMany({ where: { jobId }, orderBy: { id: "asc" } })).map((r) => [r.code, r.statusAfter]);
    expect(codes).toEqual([
      ["JOB_CREATED", "WAITING_FOR_DOWNLOAD"],
      ["PACKAGE_FETCH_STARTED", "INSTALLING_SOFTWARE"],
      ["PACKAGE_FETCHED", "DOWNLOADED"],
    ]);
  });

  it("refuses a report whose token is not the message's", async () => {
    const { jobId, phoneNumber } = await install("SMS_PUSH");
    await kannel.smsc.next(toPhone(phoneNumber), 15_000);
    const [message] = await messagesOf(jobId);
    const forged = await fetch(`${origin}/api/delivery/reports/${message!.id}?t=AAAAAAAAAAAAAAAAAAAAAA&status=2`);
    expect(forged.status).toBe(403);
    expect((await fetch(`${origin}/api/delivery/reports/${message!.id}?status=2`)).status).toBe(422);
  });
});

describe("WAP push through Kannel's PPG", () => {
  it("arrives as a Service Indication carrying the job's link, and its reports come back", async () => {
    const { phoneNumber, jobId } = await install("WAP_PUSH");
    const push = await kannel.smsc.next(toPhone(phoneNumber), 15_000);
    expect(push.kind).toBe("binary");
    expect(push.udh!.toString("hex")).toBe("0605040b8423f0");
    const wsp = decodeWspPush(push.data!);
    expect(wsp.contentType).toBe("application/vnd.wap.sic");
    const si = decodeSi(wsp.body);
    const [message] = await eventually(() => messagesOf(jobId), ([m]) => m?.state === "delivered");
    expect(si.href).toBe((message!.content as { link: string }).link);
    expect(si.text).toMatch(/^Install .* 1\.0$/);
    expect(message).toMatchObject({ transport: "kannel-ppg", gatewayRef: `deploydesk-${message!.id}-1@deploydesk` });
  });
});

describe("the OMA DM bootstrap through Kannel", () => {
  it("arrives as a signed OMA CP document that decodes to the device's OMA DM account", async () => {
    const { device, phoneNumber } = await install("OMA_DM");
    const push = await kannel.smsc.next(toPhone(phoneNumber), 15_000);
    expect(push.udh!.toString("hex")).toBe("0605040b840b84");
    const wsp = decodeWspPush(push.data!);
    expect(wsp.contentType).toBe("application/vnd.wap.connectivity-wbxml");
    expect(wsp.params.sec).toBe(1); // USERPIN, the default
    expect(wsp.params.mac).toBe(createHmac("sha1", "1234").update(wsp.body).digest("hex").toUpperCase());
    const account = dmAccountFromDoc(decodeProvisioningDoc(wsp.body));
    expect(account).toEqual(bootstrapAccount(await serverSecret(), origin, device.deviceUuid));
    expect(account.serverAddress).toBe(`${origin}/omadm`);
  });
});

describe("outages", () => {
  it("the gateway down: attempts are retried, and once it is back the message goes, once", async () => {
    await kannel.stopGateway();
    try {
      const { phoneNumber, jobId } = await install("SMS_PUSH");
      const [retrying] = await eventually(() => messagesOf(jobId), ([m]) => (m?.attempts ?? 0) >= 2 && m?.state === "retrying");
      expect(retrying!.lastError).toMatch(/ECONNREFUSED/);
      await kannel.startGateway();
      const sms = await kannel.smsc.next(toPhone(phoneNumber), 20_000);
      expect(sms.text).toMatch(/^Install /);
      const [sent] = await eventually(() => messagesOf(jobId), ([m]) => m?.state === "delivered");
      expect(sent!.attempts).toBeGreaterThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(kannel.smsc.messages.filter(toPhone(phoneNumber))).toHaveLength(1);
    } finally {
      if (!kannel.running("bearerbox")) await kannel.startGateway();
    }
  });

  it("the worker process killed between the commit and the send: another one sends it, once", async () => {
    await worker?.stop();
    worker = null;
    const spawnWorker = () => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        env: { ...process.env, ...env(), DATABASE_URL: databaseUrl(), DEPLOYDESK_DELIVERY_CALLBACK_URL: origin, DEPLOYDESK_OUTBOX_WORKERS: "2" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      children.push(child);
      return new Promise<ChildProcess>((resolve, reject) => {
        child.on("message", (m: { ready?: boolean }) => m.ready && resolve(child));
        child.on("exit", (code) => reject(new Error(`worker exited (${code})`)));
      });
    };
    const first = await spawnWorker();
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const { phoneNumber, jobId } = await install("SMS_PUSH"); // committed with no worker alive
    await new Promise((r) => setTimeout(r, 1_000));
    expect(kannel.smsc.messages.filter(toPhone(phoneNumber))).toHaveLength(0);
    expect((await messagesOf(jobId))[0]!.state).toBe("queued");

    const second = await spawnWorker();
    await kannel.smsc.next(toPhone(phoneNumber), 20_000);
    await eventually(() => messagesOf(jobId), ([m]) => m?.state === "delivered");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(kannel.smsc.messages.filter(toPhone(phoneNumber))).toHaveLength(1);
    second.kill("SIGTERM");
    worker = await startWorker();
  });
});

/**
 * The outbox on a real database: a message and its queue job commit with the job change or not
 * at all; each attempt and answer is kept on the message; retries back off and end; a message
 * that finally fails moves its job as status-model.md says; a worker shares the queue.
 * The transport here is scripted (it is the gateway's side that the Kannel tests make real).
 */
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { sql, statement } from "@/lib/db/sql";
import { markBootstrap } from "@/lib/devices/bootstrap";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";
import { cancelJobAs } from "@/lib/installation-jobs/job-actions";
import { createTestDevice, createTestSoftware, createTestUser } from "@/lib/testing/factories";
import { handOver } from "./delivery";
import { recordReport, requeueStale, startAttempt } from "./outbox";
import { resendJobLink, resendMessage } from "./resend";
import { messagePreview } from "./message-preview";
import { servePackage } from "@/lib/downloads/serve-package";
import { deliverMessage, startOutboxWorker } from "./outbox-worker";
import { databaseUrl } from "@/lib/db/client";
import type { OutgoingMessage, SendResult, Transport } from "./transport";
import { developmentOutbox } from "./transport";

const FAST = { baseMs: 1, capMs: 5, maxAttempts: 3 };

function scripted(...answers: (SendResult | Error)[]): Transport & { sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  return {
    name: "scripted",
    sent,
    async send(message) {
      sent.push(message);
      const next = answers.shift() ?? { outcome: "accepted", answer: "0: Accepted for delivery" };
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

async function pushJob(method: "SMS_PUSH" | "WAP_PUSH" = "SMS_PUSH", phoneNumber: string | null = "+15550142") {
  const { actor } = await createTestUser("superuser");
  const device = await createTestDevice();
  await db().device.update({ where: { id: device.id }, data: { phoneNumber } });
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`outbox ${Math.random()}`));
  const { jobs } = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method });
  const message = await db().outboundMessage.findFirstOrThrow({ where: { jobId: jobs[0]!.id } });
  return { actor, device, jobId: jobs[0]!.id, messageId: String(message.id) };
}

const message = (id: string) => db().outboundMessage.findUniqueOrThrow({ where: { id: BigInt(id) }, include: { events: { orderBy: { id: "asc" } } } });
const job = (id: number) => db().installationJob.findUniqueOrThrow({ where: { id } });
const queueJobsSql = statement<{ n: number }>("test_outbox_queue_jobs", `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'deliver' AND data->>'messageId' = $1::text`);
const queueJobs = async (id: string) => (await sql().query(queueJobsSql, [id]))[0]!.n;
const ageMessageSql = statement("test_outbox_age_message", `UPDATE outbound_messages SET updated_at = $2::timestamptz WHERE id = $1::bigint`);
const lastLog = async (jobId: number) => (await db().installationLogEntry.findFirstOrThrow({ where: { jobId }, orderBy: { id: "desc" } })).code;

describe("handOver", () => {
  it("writes the message and its queue job in the caller's transaction: both or neither", async () => {
    const device = await createTestDevice();
    await expect(
      sql().transaction(async (tx) => {
        await handOver(tx, [{ kind: "SMS_PUSH", jobId: null, deviceId: device.id, recipient: "+15550100", content: { text: "x" } }], new Date());
        throw new Error("the job change failed");
      }),
    ).rejects.toThrow("the job change failed");
    expect(await db().outboundMessage.count({ where: { deviceId: device.id } })).toBe(0);

    const [id] = await sql().transaction((tx) => handOver(tx, [{ kind: "SMS_PUSH", jobId: null, deviceId: device.id, recipient: "+15550100", content: { text: "x" } }], new Date()));
    expect((await message(id!)).state).toBe("queued");
    expect(await queueJobs(id!)).toBe(1);
  });
});

describe("an attempt", () => {
  it("through the development outbox is kept, with the attempt and the answer on the message", async () => {
    const { messageId } = await pushJob();
    expect(await deliverMessage(messageId, { transports: () => developmentOutbox })).toBe("kept");
    const m = await message(messageId);
    expect(m).toMatchObject({ state: "kept", attempts: 1, transport: "development-outbox" });
    expect(m.events.map((e) => [e.kind, e.state])).toEqual([["attempt", "sending"], ["answer", "kept"]]);
    // Settled: another queue job for it sends nothing.
    expect(await deliverMessage(messageId, { transports: () => developmentOutbox })).toBeNull();
  });

  it("retries with backoff after transient failures, then succeeds; the text carries the job's link", async () => {
    const { messageId, jobId } = await pushJob();
    const gateway = scripted(new Error("connect ECONNREFUSED 127.0.0.1:13013"), { outcome: "retry", answer: "503 Service Unavailable" });
    const deps = { transports: () => gateway, policy: FAST };
    expect(await deliverMessage(messageId, deps)).toBe("retrying");
    const retrying = await message(messageId);
    expect(retrying.lastError).toContain("ECONNREFUSED");
    expect(retrying.nextAttemptAt).not.toBeNull();
    expect(await queueJobs(messageId)).toBe(2); // the retry is a queue job of its own, due later
    expect(await deliverMessage(messageId, deps)).toBe("retrying");
    expect(await deliverMessage(messageId, { ...deps })).toBe("accepted");
    const m = await message(messageId);
    expect(m).toMatchObject({ state: "accepted", attempts: 3, lastError: null });
    expect(m.events.map((e) => e.kind)).toEqual(["attempt", "answer", "attempt", "answer", "attempt", "answer"]);
    expect(gateway.sent[0]!.recipient).toBe("+15550142");
    expect(String(gateway.sent[0]!.content.text)).toMatch(new RegExp(`/packages/[^/]+/`));
    expect((await job(jobId)).status).toBe("WAITING_FOR_DOWNLOAD");
  });

  it("gives up after the last attempt: the message fails and its job becomes Installation failed with the reason", async () => {
    const { messageId, jobId } = await pushJob();
    const gateway = scripted(...Array.from({ length: 3 }, () => ({ outcome: "retry" as const, answer: "gateway down" })));
    for (let i = 0; i < 3; i++) await deliverMessage(messageId, { transports: () => gateway, policy: FAST });
    const m = await message(messageId);
    expect(m).toMatchObject({ state: "failed", attempts: 3 });
    expect(m.lastError).toMatch(/no attempt succeeded \(3 attempts/);
    expect((await job(jobId)).status).toBe("INSTALLATION_FAILED");
    expect(await lastLog(jobId)).toBe("LINK_MESSAGE_FAILED");
  });

  it("a refusal fails it at once; a device without a phone number fails without an attempt", async () => {
    const refused = await pushJob("WAP_PUSH");
    await deliverMessage(refused.messageId, { transports: () => scripted({ outcome: "rejected", answer: "PAP 2000 bad address" }) });
    expect((await message(refused.messageId)).lastError).toBe("the gateway refused it: PAP 2000 bad address");
    expect((await job(refused.jobId)).status).toBe("INSTALLATION_FAILED");

    const nobody = await pushJob("SMS_PUSH", null);
    const gateway = scripted();
    expect(await deliverMessage(nobody.messageId, { transports: () => gateway })).toBeNull();
    expect(gateway.sent).toHaveLength(0);
    expect(await message(nobody.messageId)).toMatchObject({ state: "failed", attempts: 0, lastError: "the device has no phone number" });
    expect((await job(nobody.jobId)).status).toBe("INSTALLATION_FAILED");
  });

  it("is not made for a job cancelled meanwhile", async () => {
    const { actor, messageId, jobId } = await pushJob();
    await cancelJobAs(actor, jobId);
    const gateway = scripted();
    expect(await deliverMessage(messageId, { transports: () => gateway })).toBeNull();
    expect(gateway.sent).toHaveLength(0);
    expect(await message(messageId)).toMatchObject({ state: "cancelled" });
  });

  it("interrupted (the worker died after starting it) is noted, and the message is sent again", async () => {
    const { messageId } = await pushJob();
    expect(await startAttempt(messageId, () => developmentOutbox)).not.toBeNull();
    const gateway = scripted();
    // While the attempt may still be under way, another queue job for it steps back.
    expect(await deliverMessage(messageId, { transports: () => gateway })).toBeNull();
    await sql().query(ageMessageSql, [messageId, new Date(Date.now() - 2 * 60_000)]);
    expect(await deliverMessage(messageId, { transports: () => gateway })).toBe("accepted");
    expect(gateway.sent.map((s) => s.attempt)).toEqual([2]);
    expect((await message(messageId)).events.map((e) => e.detail).join("\n")).toMatch(/Attempt 1 was interrupted/);
  });
});

describe("replaced and stale messages", () => {
  it("a link message replaced by a resend fails without failing the job; a late failure report of an earlier attempt moves nothing", async () => {
    const { actor, jobId, messageId } = await pushJob();
    await deliverMessage(messageId, { transports: () => scripted() }); // accepted: not cancelled by a resend
    const newer = await resendJobLink(actor, jobId);
    expect((await message(messageId)).state).toBe("accepted");
    expect(await recordReport(messageId, { meaning: "failed", detail: "DLR 2" })).toBe("failed");
    expect((await job(jobId)).status).toBe("WAITING_FOR_DOWNLOAD");

    await startAttempt(newer, () => developmentOutbox); // attempt 1 under way
    expect(await recordReport(newer, { meaning: "smsc-rejected", detail: "DLR 16" }, new Date(), 0)).toBe("sending");
    expect((await job(jobId)).status).toBe("WAITING_FOR_DOWNLOAD");
  });

  it("an older bootstrap failing settles nothing once a newer one is under way; a retrying message takes a success report", async () => {
    const { actor } = await createTestUser("superuser");
    const device = await createTestDevice();
    await db().device.update({ where: { id: device.id }, data: { phoneNumber: "+15550147" } });
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`dm ${Math.random()}`));
    const { jobs } = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "OMA_DM", fallbackMethod: "MARK_FOR_INSTALLATION" });
    const older = String((await db().outboundMessage.findFirstOrThrow({ where: { deviceId: device.id, kind: "BOOTSTRAP" } })).id);
    await deliverMessage(older, { transports: () => scripted() });
    await new Promise((r) => setTimeout(r, 5)); // a later instant for the newer one
    const newer = await resendMessage(actor, older);
    expect(await recordReport(older, { meaning: "failed", detail: "DLR 2" })).toBe("failed");
    expect((await job(jobs[0]!.id)).status).toBe("WAITING_FOR_BOOTSTRAP");
    expect((await db().device.findUniqueOrThrow({ where: { id: device.id } })).bootstrapRequestedAt).not.toBeNull();

    await deliverMessage(newer, { transports: () => scripted({ outcome: "retry", answer: "no answer in time" }), policy: { baseMs: 60_000, capMs: 60_000, maxAttempts: 5 } });
    expect(await recordReport(newer, { meaning: "delivered", detail: "DLR 1" })).toBe("delivered");
  });

  it("housekeeping queues again a message no queue job works on", async () => {
    const { messageId } = await pushJob();
    await sql().query(ageMessageSql, [messageId, new Date(Date.now() - 11 * 60_000)]);
    const before = await queueJobs(messageId);
    expect(await requeueStale(new Date(), 10_000)).toBeGreaterThanOrEqual(1);
    expect(await queueJobs(messageId)).toBe(before + 1);
    await requeueStale(new Date(), 10_000); // touched: left to the queue job just added
    expect(await queueJobs(messageId)).toBe(before + 1);
  });
});

describe("delivery reports", () => {
  it("move the message on, even when they arrive before the gateway's answer is stored; a failure report fails the job", async () => {
    const { messageId } = await pushJob();
    await startAttempt(messageId, () => developmentOutbox);
    expect(await recordReport(messageId, { meaning: "smsc-accepted", detail: "DLR 8: ACK/" })).toBe("submitted");
    // The answer of the attempt the report is about, stored late: no step back.
    const gateway = scripted();
    expect(await recordReport(messageId, { meaning: "delivered", detail: "DLR 1" })).toBe("delivered");
    expect(await deliverMessage(messageId, { transports: () => gateway })).toBeNull();
    expect((await message(messageId)).deliveredAt).not.toBeNull();

    const failing = await pushJob();
    await deliverMessage(failing.messageId, { transports: () => scripted() });
    expect(await recordReport(failing.messageId, { meaning: "failed", detail: "DLR 2: undeliverable" })).toBe("failed");
    expect((await job(failing.jobId)).status).toBe("INSTALLATION_FAILED");
  });
});

describe("the bootstrap", () => {
  it("that finally fails falls back: the jobs wait for their download and the fallback's link goes out", async () => {
    const { actor } = await createTestUser("superuser");
    const device = await createTestDevice();
    await db().device.update({ where: { id: device.id }, data: { phoneNumber: "+15550143" } });
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`dm ${Math.random()}`));
    const { jobs } = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "OMA_DM", fallbackMethod: "SMS_PUSH" });
    const bootstrap = await db().outboundMessage.findFirstOrThrow({ where: { deviceId: device.id, kind: "BOOTSTRAP" } });
    await deliverMessage(String(bootstrap.id), { transports: () => scripted({ outcome: "rejected", answer: "unknown subscriber" }) });
    expect(await job(jobs[0]!.id)).toMatchObject({ status: "WAITING_FOR_DOWNLOAD", fallbackMethod: "SMS_PUSH" });
    expect((await job(jobs[0]!.id)).fallbackReason).toContain("the bootstrap message failed: the gateway refused it: unknown subscriber");
    const link = await db().outboundMessage.findFirstOrThrow({ where: { jobId: jobs[0]!.id, kind: "SMS_PUSH" } });
    expect(link.state).toBe("queued");
    expect((await db().device.findUniqueOrThrow({ where: { id: device.id } })).bootstrapRequestedAt).toBeNull();
  });

  it("is shown decoded from the bytes it sends: the OMA DM account, its security, no secret", async () => {
    const { actor } = await createTestUser("superuser");
    const device = await createTestDevice();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`dm ${Math.random()}`));
    await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "OMA_DM", fallbackMethod: "MARK_FOR_INSTALLATION" }, "https://dm.example.com");
    const bootstrap = await db().outboundMessage.findFirstOrThrow({ where: { deviceId: device.id, kind: "BOOTSTRAP" } });
    const preview = await messagePreview("BOOTSTRAP", { id: String(bootstrap.id), content: bootstrap.content as Record<string, unknown>, deviceUuid: device.deviceUuid });
    const rows = preview!.rows;
    expect(rows).toContainEqual({ key: "SEC", value: "USERPIN" });
    expect(rows.map((r) => r.value)).toContain("https://dm.example.com/omadm");
    expect(rows.map((r) => r.value)).toContain(device.deviceUuid);
    expect(rows.filter((r) => r.key.endsWith("AAUTHSECRET")).every((r) => r.value.startsWith("•"))).toBe(true);
  });

  it("settled by hand before it went out is not sent", async () => {
    const { actor } = await createTestUser("superuser");
    const device = await createTestDevice();
    await db().device.update({ where: { id: device.id }, data: { phoneNumber: "+15550144" } });
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`dm ${Math.random()}`));
    await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "OMA_DM", fallbackMethod: "MARK_FOR_INSTALLATION" });
    await markBootstrap(actor, device.deviceUuid, true);
    const bootstrap = await db().outboundMessage.findFirstOrThrow({ where: { deviceId: device.id, kind: "BOOTSTRAP" } });
    expect(await deliverMessage(String(bootstrap.id), { transports: () => scripted() })).toBeNull();
    expect((await message(String(bootstrap.id))).state).toBe("cancelled");
  });
});

describe("an expired link", () => {
  it("gets a page that says so (410), is logged, leaves the job waiting, and a resend brings a working link", async () => {
    const { actor } = await createTestUser("superuser");
    const device = await createTestDevice();
    await db().device.update({ where: { id: device.id }, data: { phoneNumber: "+15550146" } });
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`expired ${Math.random()}`));
    // Sent two hours ago: its link (60 minutes) has expired.
    const { jobs } = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "SMS_PUSH" }, "http://localhost", new Date(Date.now() - 2 * 3_600_000));
    const jobId = jobs[0]!.id;
    const open = async (link: string) => {
      const url = new URL(link);
      return servePackage({ method: "GET", path: url.pathname, query: {}, headers: { accept: ["text/html,application/xhtml+xml"] }, body: Buffer.alloc(0), origin: url.origin, remoteAddress: "127.0.0.1" });
    };
    const sent = await db().outboundMessage.findFirstOrThrow({ where: { jobId } });
    const expired = await open((sent.content as { link: string }).link);
    expect(expired.status).toBe(410);
    expect(expired.headers["content-type"]).toMatch(/^text\/html/);
    expect(String(expired.body)).toContain("This download link has expired");
    expect(await lastLog(jobId)).toBe("LINK_EXPIRED");
    expect((await job(jobId)).status).toBe("WAITING_FOR_DOWNLOAD");

    const again = await message(await resendJobLink(actor, jobId));
    const fresh = await open((again.content as { link: string }).link);
    expect(fresh.status).toBe(200);
  });
});

describe("resending", () => {
  it("a job's link: a new message with a fresh link replaces the one still waiting to go out", async () => {
    const { actor, jobId, messageId } = await pushJob();
    const again = await resendMessage(actor, messageId);
    expect(again).not.toBe(messageId);
    expect((await message(messageId)).state).toBe("cancelled");
    const fresh = await message(again);
    expect(fresh).toMatchObject({ state: "queued", kind: "SMS_PUSH", jobId });
    expect(fresh.content).not.toEqual((await message(messageId)).content);
  });

  it("is refused for a failed job (Retry is its way) and for a device whose bootstrap is settled", async () => {
    const { actor, jobId, messageId } = await pushJob();
    await deliverMessage(messageId, { transports: () => scripted({ outcome: "rejected", answer: "no" }) });
    await expect(resendJobLink(actor, jobId)).rejects.toThrow(/Installation failed: retry the job instead/);

    const device = await createTestDevice();
    await db().device.update({ where: { id: device.id }, data: { phoneNumber: "+15550145" } });
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`dm ${Math.random()}`));
    await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "OMA_DM", fallbackMethod: "MARK_FOR_INSTALLATION" });
    const bootstrap = await db().outboundMessage.findFirstOrThrow({ where: { deviceId: device.id, kind: "BOOTSTRAP" } });
    const resent = await resendMessage(actor, String(bootstrap.id));
    expect((await message(String(bootstrap.id))).state).toBe("cancelled");
    expect((await message(resent)).state).toBe("queued");
    await markBootstrap(actor, device.deviceUuid, true);
    await expect(resendMessage(actor, resent)).rejects.toMatchObject({ code: "CONFLICT" });
    const { actor: readonly } = await createTestUser("readonly");
    await expect(resendMessage(readonly, resent)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("the worker", () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it("drains queued messages, each once, with several workers", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await pushJob()).messageId);
    const gateway = scripted();
    const worker = await startOutboxWorker({ databaseUrl: databaseUrl(), transports: () => gateway, concurrency: 3, log: () => undefined });
    stops.push(() => worker.stop());
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const settled = await db().outboundMessage.count({ where: { id: { in: ids.map(BigInt) }, state: "accepted" } });
      if (settled === ids.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const mine = gateway.sent.filter((s) => ids.includes(s.id));
    expect(mine.map((s) => s.id).sort()).toEqual([...ids].sort());
  });
});

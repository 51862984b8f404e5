/**
 * The Outbox through /api/v1/messages: the list's filters and pages (also with the walk forced
 * down to one row, so the set read answers), one message with its events, resending and who may.
 */
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as listMessages } from "@/app/api/v1/messages/route";
import { GET as getMessage } from "@/app/api/v1/messages/[messageId]/route";
import { POST as resend } from "@/app/api/v1/messages/[messageId]/resend/route";
import { db } from "@/lib/db/client";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";
import { createTestBearer, createTestDevice, createTestSoftware, createTestUser } from "@/lib/testing/factories";
import { parseMessageListParams } from "./list-messages-params";
import { listMessagesPage } from "./list-messages";
import { deliverMessage } from "./outbox-worker";
import { developmentOutbox } from "./transport";

const req = (token: string, path: string, method = "GET") => new Request(`http://local${path}`, { method, headers: { authorization: `Bearer ${token}` } });
const at = (id: string) => ({ params: Promise.resolve({ messageId: id }) });
const noParams = { params: Promise.resolve({}) };
/** A phone number no other test uses, so a search by it finds this test's device only. */
const uniquePhone = () => `+1555${randomInt(10_000_000, 99_999_999)}`;

type ListBody = { messages: { id: string; kind: string; state: string; stateLabel: string; summary: string; link: string | null; deviceUuid: string; jobId: number | null }[]; next: string | null; previous: string | null };

async function list(token: string, query: string): Promise<ListBody> {
  const res = await listMessages(req(token, `/api/v1/messages?${query}`), noParams);
  expect(res.status, query).toBe(200);
  return (await res.json()) as ListBody;
}

/** A device with a phone number and one job of `method` (its message queued); an OMA DM job sends a bootstrap first. */
async function deviceWithJob(method: "SMS_PUSH" | "WAP_PUSH" | "OMA_DM") {
  const { actor } = await createTestUser("superuser");
  const device = await createTestDevice();
  const phoneNumber = uniquePhone();
  await db().device.update({ where: { id: device.id }, data: { phoneNumber } });
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`outbox api ${Math.random()}`));
  const { jobs } = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method, ...(method === "OMA_DM" ? { fallbackMethod: "SMS_PUSH" as const } : {}) }, "http://local");
  const message = await db().outboundMessage.findFirstOrThrow({ where: { deviceId: device.id }, orderBy: { id: "desc" } });
  return { device, phoneNumber, jobId: jobs[0]!.id, messageId: String(message.id), software };
}

describe("GET /api/v1/messages", () => {
  it("lists every kind newest first, and each filter finds what it names", async () => {
    const { token } = await createTestBearer("readonly");
    const sms = await deviceWithJob("SMS_PUSH");
    const wap = await deviceWithJob("WAP_PUSH");
    const dm = await deviceWithJob("OMA_DM");

    const newest = await list(token, "limit=200");
    const ids = newest.messages.map((m) => BigInt(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    expect(newest.messages.map((m) => m.id)).toEqual(expect.arrayContaining([sms.messageId, wap.messageId, dm.messageId]));

    const byJob = await list(token, `job=${sms.jobId}`);
    expect(byJob.messages).toEqual([
      expect.objectContaining({ id: sms.messageId, kind: "SMS_PUSH", state: "queued", stateLabel: "Queued", jobId: sms.jobId, deviceUuid: sms.device.deviceUuid, link: null }),
    ]);
    expect(byJob.messages[0]!.summary).toMatch(new RegExp(`^Install ${sms.software.name} 1\\.0: http://local/packages/`));
    const wapRow = (await list(token, `device=${wap.device.deviceUuid}`)).messages;
    expect(wapRow).toHaveLength(1);
    expect(wapRow[0]!.link).toMatch(/^http:\/\/local\/packages\//);
    expect((await list(token, `device=${dm.device.deviceUuid}`)).messages.map((m) => [m.kind, m.summary])).toEqual([["BOOTSTRAP", "OMA DM bootstrap for http://local"]]);

    // Kinds and states, each OR-ed within, AND-ed with the device.
    expect((await list(token, `device=${dm.device.deviceUuid}&kind=SMS_PUSH&kind=WAP_PUSH`)).messages).toEqual([]);
    expect((await list(token, `device=${dm.device.deviceUuid}&kind=BOOTSTRAP&state=queued&state=failed`)).messages).toHaveLength(1);
    await deliverMessage(sms.messageId, { transports: () => developmentOutbox });
    expect((await list(token, `job=${sms.jobId}&state=queued`)).messages).toEqual([]);
    expect((await list(token, `job=${sms.jobId}&state=kept`)).messages.map((m) => m.stateLabel)).toEqual(["Kept (development outbox)"]);
    expect((await list(token, `state=kept&limit=200`)).messages.every((m) => m.state === "kept")).toBe(true);

    // The search: part of the phone number as typed (spaces, dashes), or of the device UUID in any case.
    const typed = `${wap.phoneNumber.slice(0, 5)} ${wap.phoneNumber.slice(5, 8)}-${wap.phoneNumber.slice(8)}`;
    expect((await list(token, `q=${encodeURIComponent(typed)}`)).messages.map((m) => m.id)).toEqual([wap.messageId]);
    expect((await list(token, `q=${sms.device.deviceUuid.slice(4, 20).toLowerCase()}`)).messages.map((m) => m.id)).toEqual([sms.messageId]);
    expect((await list(token, "q=no-such-device-here")).messages).toEqual([]);
    expect((await list(token, "device=NO-SUCH-DEVICE")).messages).toEqual([]);
  });

  it("pages by cursor both ways, also when the walk is one row and the rest is read as a set", async () => {
    const { token } = await createTestBearer("readonly");
    const { device, jobId, messageId } = await deviceWithJob("SMS_PUSH");
    const { actor } = await createTestUser("superuser");
    const { resendJobLink } = await import("./resend");
    const ids = [messageId];
    for (let i = 0; i < 4; i++) ids.push(await resendJobLink(actor, jobId, "http://local"));
    const newestFirst = [...ids].reverse();

    const seen: string[] = [];
    let body = await list(token, `device=${device.deviceUuid}&limit=2`);
    seen.push(...body.messages.map((m) => m.id));
    while (body.next) {
      body = await list(token, `device=${device.deviceUuid}&limit=2&cursor=${body.next}`);
      seen.push(...body.messages.map((m) => m.id));
    }
    expect(seen).toEqual(newestFirst);
    // From the last page (one row) back: the page before it.
    const back = await list(token, `device=${device.deviceUuid}&limit=2&cursor=${body.previous}`);
    expect(back.messages.map((m) => m.id)).toEqual(newestFirst.slice(2, 4));

    // Several states are a filter over the walk (not a range of it): with a window of one row,
    // the page is filled by the set read.
    const parsed = parseMessageListParams({ q: device.deviceUuid, state: ["queued", "cancelled"], limit: "3" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const page = await listMessagesPage(parsed.value, { walkWindow: 1 });
    expect(page.rows.map((r) => r.id)).toEqual(newestFirst.slice(0, 3));
    expect(page.rows.map((r) => r.state)).toEqual(["queued", "cancelled", "cancelled"]);
    const asc = parseMessageListParams({ q: device.deviceUuid, kind: "SMS_PUSH", dir: "asc" });
    if (!asc.ok) throw new Error(JSON.stringify(asc.issues));
    expect((await listMessagesPage(asc.value, { walkWindow: 1 })).rows.map((r) => r.id)).toEqual(ids);
  });

  it("answers a bad address 422 with its fields", async () => {
    const { token } = await createTestBearer("readonly");
    const res = await listMessages(req(token, "/api/v1/messages?kind=EMAIL&q=ab&job=x"), noParams);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; fields: { field: string }[] } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.fields.map((f) => f.field).sort()).toEqual(["job", "kind", "q"]);
  });
});

describe("GET /api/v1/messages/{id}", () => {
  it("shows the message with its content and events oldest first; 404 for an unknown or malformed id", async () => {
    const { token } = await createTestBearer("readonly");
    const { messageId, jobId, device } = await deviceWithJob("WAP_PUSH");
    await deliverMessage(messageId, { transports: () => developmentOutbox });
    const res = await getMessage(req(token, `/api/v1/messages/${messageId}`), at(messageId));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { events: { kind: string; stateLabel: string; attempt: number | null }[]; content: Record<string, unknown> };
    expect(body).toMatchObject({
      id: messageId,
      kind: "WAP_PUSH",
      kindLabel: "WAP push",
      state: "kept",
      stateDescription: expect.stringContaining("No gateway is configured"),
      attempts: 1,
      transport: "development-outbox",
      jobId,
      jobStatus: "Waiting for download",
      deviceUuid: device.deviceUuid,
      resend: { allowed: true },
    });
    expect(Object.keys(body.content).sort()).toEqual(["expiresAt", "link", "text", "title"]);
    expect(body.events.map((e) => [e.kind, e.attempt, e.stateLabel])).toEqual([
      ["attempt", 1, "Sending"],
      ["answer", 1, "Kept (development outbox)"],
    ]);
    for (const id of ["999999999999", "abc", "0", "1e3", "99999999999999999999"]) expect((await getMessage(req(token, `/api/v1/messages/${id}`), at(id))).status, id).toBe(404);
  });
});

describe("POST /api/v1/messages/{id}/resend", () => {
  it("sends a new message that replaces the waiting one; the old one is cancelled", async () => {
    const { token } = await createTestBearer("superuser");
    const { messageId, jobId } = await deviceWithJob("SMS_PUSH");
    const res = await resend(req(token, `/api/v1/messages/${messageId}/resend`, "POST"), at(messageId));
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; replaces: string; state: string; jobId: number; kind: string };
    expect(created).toMatchObject({ replaces: messageId, state: "queued", jobId, kind: "SMS_PUSH" });
    expect(created.id).not.toBe(messageId);
    const old = (await (await getMessage(req(token, `/api/v1/messages/${messageId}`), at(messageId))).json()) as { state: string; events: { detail: string }[] };
    expect(old.state).toBe("cancelled");
    expect(old.events.at(-1)!.detail).toBe("Not sent: a newer message replaces it.");
    const listed = await list(token, `job=${jobId}`);
    expect(listed.messages.map((m) => [m.id, m.state])).toEqual([
      [created.id, "queued"],
      [messageId, "cancelled"],
    ]);
  });

  it("409 with the reason when the job no longer calls for it, 404 for no message, 403 for Read-only", async () => {
    const { token } = await createTestBearer("superuser");
    const { messageId, jobId } = await deviceWithJob("SMS_PUSH");
    const { actor } = await createTestUser("superuser");
    const { cancelJobAs } = await import("@/lib/installation-jobs/job-actions");
    await cancelJobAs(actor, jobId);
    const refused = await resend(req(token, `/api/v1/messages/${messageId}/resend`, "POST"), at(messageId));
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("The job is cancelled: nothing is sent for it.");
    const shown = (await (await getMessage(req(token, `/api/v1/messages/${messageId}`), at(messageId))).json()) as { resend: unknown };
    expect(shown.resend).toEqual({ allowed: false, reason: "The job is cancelled: nothing is sent for it." });

    for (const id of ["999999999999", "abc"]) expect((await resend(req(token, `/api/v1/messages/${id}/resend`, "POST"), at(id))).status, id).toBe(404);

    const { token: readonly } = await createTestBearer("readonly");
    const other = await deviceWithJob("WAP_PUSH");
    expect((await resend(req(readonly, `/api/v1/messages/${other.messageId}/resend`, "POST"), at(other.messageId))).status).toBe(403);
    expect(await db().outboundMessage.count({ where: { jobId: other.jobId } })).toBe(1);
  });
});

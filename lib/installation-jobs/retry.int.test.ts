/**
 * Retry and Remove through /api/v1/jobs, with the device's side through the real endpoint: a
 * late report of the failed attempt does not complete the retried job; once the device takes
 * the package over again, its reports count. A push job's retry hands its link to delivery.
 */
import { describe, expect, it } from "vitest";
import { POST as retry } from "@/app/api/v1/jobs/[jobId]/retry/route";
import { DELETE as remove, GET as getJob } from "@/app/api/v1/jobs/[jobId]/route";
import { db } from "@/lib/db/client";
import { handleDeviceMessage } from "@/lib/device-endpoint/registry";
import { createTestDevice, createTestJob, createTestSoftware, createTestBearer, statusXml, type TestDevice } from "@/lib/testing/factories";
import { instructionsFor } from "./package-requests";

const token = async () => (await createTestBearer("superuser")).token;
const req = (t: string, method: string) => new Request("http://console.test/api/v1/jobs/x", { method, headers: { authorization: `Bearer ${t}` } });
const at = (id: number) => ({ params: Promise.resolve({ jobId: String(id) }) });

function report(device: TestDevice, packageId: string, messageId: string, timestamp: string) {
  return handleDeviceMessage({
    method: "POST",
    path: "/api/dm",
    query: {},
    headers: { "x-device-uuid": [device.deviceUuid], "x-device-auth": [device.token], "x-device-action": ["Status"] },
    body: Buffer.from(statusXml([{ packageId, messageId, timestamp, returnCode: messageId === "11032" ? "5" : "0" }])),
    origin: "http://localhost",
    remoteAddress: null,
  });
}

const statusOf = async (id: number) => (await db().installationJob.findUniqueOrThrow({ where: { id } })).status;

describe("Retry", () => {
  it("starts attempt 2, ignores the failed attempt's late report, and counts reports again after the handover", async () => {
    const t = await token();
    const device = await createTestDevice();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from("package bytes"));
    const job = await createTestJob(device.id, software.id);
    expect((await report(device, software.packageId, "11032", "2026-11-20 10:00:00")).status).toBe(200);
    expect(await statusOf(job.id)).toBe("INSTALLATION_FAILED");

    const retried = await retry(req(t, "POST"), at(job.id));
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ status: "Waiting for download", attempts: 2 });
    expect((await retry(req(t, "POST"), at(job.id))).status).toBe(409);

    // The failed attempt's success report, arriving late: logged, changes nothing.
    await report(device, software.packageId, "11031", "2026-11-20 09:59:00");
    expect(await statusOf(job.id)).toBe("WAITING_FOR_DOWNLOAD");
    const history = (await (await getJob(req(t, "GET"), at(job.id))).json()) as { history: { event: string }[] };
    expect(history.history.at(-1)?.event).toMatch(/from before the retry/);

    await instructionsFor(device.id, [software.packageId], new Date());
    await report(device, software.packageId, "11031", "2026-11-21 08:00:00");
    expect(await statusOf(job.id)).toBe("DOWNLOADED");
  });

  it("hands a retried SMS push job's new link to the delivery layer", async () => {
    const t = await token();
    const device = await createTestDevice();
    await db().device.update({ where: { id: device.id }, data: { phoneNumber: "+15550100" } });
    const software = await createTestSoftware();
    const job = await createTestJob(device.id, software.id, "SMS_PUSH");
    await report(device, software.packageId, "11032", "2026-11-20 10:00:00");
    expect((await retry(req(t, "POST"), at(job.id))).status).toBe(200);
    const [message] = await db().outboundMessage.findMany({ where: { jobId: job.id } });
    expect(message).toMatchObject({ kind: "SMS_PUSH", recipient: "+15550100", state: "queued" });
    expect((message!.content as { link: string }).link).toMatch(/^http:\/\/console\.test\/packages\/[^/]+\//);
  });
});

describe("Remove", () => {
  it("deletes the job and keeps its history in the log", async () => {
    const t = await token();
    const device = await createTestDevice();
    const software = await createTestSoftware();
    const job = await createTestJob(device.id, software.id);
    expect((await remove(req(t, "DELETE"), at(job.id))).status).toBe(204);
    expect(await db().installationJob.findUnique({ where: { id: job.id } })).toBeNull();
    const log = await db().installationLogEntry.findMany({ where: { deviceId: device.id }, orderBy: { id: "asc" }, select: { code: true } });
    expect(log.map((l) => l.code)).toEqual(["JOB_CREATED", "JOB_REMOVED"]);
    expect((await remove(req(t, "DELETE"), at(job.id))).status).toBe(404);
  });
});

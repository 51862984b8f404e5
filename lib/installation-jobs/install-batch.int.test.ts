/** POST /api/v1/jobs: jobs in one transaction, one unfinished job per device and software, messages per method. */
import { describe, expect, it } from "vitest";
import { POST as install } from "@/app/api/v1/jobs/route";
import { getBatch } from "./batches";
import { db } from "@/lib/db/client";
import { createTestDevice, createTestBearer, createTestSoftware } from "@/lib/testing/factories";

const token = async (role: "superuser" | "readonly" = "superuser") => (await createTestBearer(role)).token;
const post = (t: string, body: unknown) =>
  install(new Request("http://console.test/api/v1/jobs", { method: "POST", headers: { authorization: `Bearer ${t}`, "content-type": "application/json" }, body: JSON.stringify(body) }), { params: Promise.resolve({}) });

describe("POST /api/v1/jobs", () => {
  it("creates one job per device, hands SMS links to delivery, and refuses a second unfinished job by name", async () => {
    const t = await token();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from("bytes"));
    const [a, b] = [await createTestDevice(), await createTestDevice()];
    await db().device.update({ where: { id: a.id }, data: { phoneNumber: "+15550101" } });
    const res = await post(t, { softwareId: software.id, deviceUuids: [a.deviceUuid, b.deviceUuid], method: "SMS_PUSH" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { batchId: number; jobs: { id: number; status: string }[] };
    expect(body.jobs.map((j) => j.status)).toEqual(["Waiting for download", "Waiting for download"]);
    const messages = await db().outboundMessage.findMany({ where: { jobId: { in: body.jobs.map((j) => j.id) } }, orderBy: { id: "asc" } });
    expect(messages.map((m) => [m.kind, m.recipient, m.state])).toEqual([
      ["SMS_PUSH", "+15550101", "queued"],
      ["SMS_PUSH", null, "queued"],
    ]);
    expect(await db().installationJob.count({ where: { batchId: body.batchId } })).toBe(2);
    const view = await getBatch(body.batchId);
    expect(view).toMatchObject({ jobCount: 2, method: "SMS_PUSH", counts: [{ status: "WAITING_FOR_DOWNLOAD", count: 2 }] });
    expect(view!.jobs.map((j) => j.deviceUuid).sort()).toEqual([a.deviceUuid, b.deviceUuid].sort());

    const again = await post(t, { softwareId: software.id, deviceUuids: [a.deviceUuid], method: "MARK_FOR_INSTALLATION" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain(a.name);
    const c = await createTestDevice();
    const skipped = await post(t, { softwareId: software.id, deviceUuids: [a.deviceUuid, c.deviceUuid], method: "MARK_FOR_INSTALLATION", skipExisting: true });
    expect(skipped.status).toBe(201);
    expect(await skipped.json()).toMatchObject({ skipped: [a.deviceUuid], jobs: [{ deviceUuid: c.deviceUuid }] });
  });

  it("Use DM waits for the bootstrap and records it, with its fallback planned", async () => {
    const t = await token();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from("dm bytes"));
    const device = await createTestDevice();
    const res = await post(t, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "OMA_DM", fallbackMethod: "WAP_PUSH" });
    const { jobs } = (await res.json()) as { jobs: { id: number; status: string }[] };
    expect(jobs[0]!.status).toBe("Waiting for bootstrap");
    expect(await db().installationJob.findUniqueOrThrow({ where: { id: jobs[0]!.id }, select: { fallbackPlan: true } })).toEqual({ fallbackPlan: "WAP_PUSH" });
    expect((await db().outboundMessage.findFirstOrThrow({ where: { jobId: jobs[0]!.id } })).kind).toBe("BOOTSTRAP");
  });

  it("validates (422), checks the role (403), and creates nothing when any device is unknown", async () => {
    const t = await token();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from("x"));
    const device = await createTestDevice();
    expect((await post(t, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "OMA_DM" })).status).toBe(422);
    expect((await post(t, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "FAX" })).status).toBe(422);
    expect((await post(t, { softwareId: software.id, deviceUuids: [device.deviceUuid, "NO-SUCH"], method: "WAP_PUSH" })).status).toBe(422);
    expect(await db().installationJob.count({ where: { deviceId: device.id } })).toBe(0);
    expect((await post(await token("readonly"), { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "WAP_PUSH" })).status).toBe(403);
  });
});

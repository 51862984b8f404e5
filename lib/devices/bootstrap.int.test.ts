/** Bootstrap by hand: jobs waiting for it move on success, fall back (with their link sent) on failure. */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";
import { createTestDevice, createTestSoftware, createTestUser } from "@/lib/testing/factories";
import { markBootstrap, sendBootstrap } from "./bootstrap";

async function dmJob(fallbackMethod: "SMS_PUSH" | "MARK_FOR_INSTALLATION") {
  const { actor } = await createTestUser("superuser");
  const device = await createTestDevice();
  await db().device.update({ where: { id: device.id }, data: { phoneNumber: "+15550199" } });
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`dm ${Math.random()}`));
  const { jobs } = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "OMA_DM", fallbackMethod });
  return { actor, device, jobId: jobs[0]!.id };
}
const job = (id: number) => db().installationJob.findUniqueOrThrow({ where: { id } });

describe("bootstrap by hand", () => {
  it("marking the device bootstrapped moves its waiting jobs to Installing software", async () => {
    const { actor, device, jobId } = await dmJob("MARK_FOR_INSTALLATION");
    // One bootstrap at a time: the job's is under way, so sending another by hand is refused.
    await expect(sendBootstrap(actor, device.deviceUuid)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db().outboundMessage.count({ where: { deviceId: device.id, kind: "BOOTSTRAP" } })).toBe(1);
    expect(await markBootstrap(actor, device.deviceUuid, true)).toBe(1);
    expect((await job(jobId)).status).toBe("INSTALLING_SOFTWARE");
    expect(await db().device.findUniqueOrThrow({ where: { id: device.id } })).toMatchObject({ omaDmBootstrapped: true, bootstrapRequestedAt: null });
  });

  it("sends one bootstrap per device however many jobs wait for it, and another once it is settled", async () => {
    const { actor, device } = await dmJob("MARK_FOR_INSTALLATION");
    const other = await createTestSoftware("OTHER_SOFTWARE", "2.0", Buffer.from(`dm ${Math.random()}`));
    const { jobs } = await createInstallBatch(actor, { softwareId: other.id, deviceUuids: [device.deviceUuid], method: "OMA_DM", fallbackMethod: "MARK_FOR_INSTALLATION" });
    expect(jobs[0]!.status).toBe("WAITING_FOR_BOOTSTRAP");
    expect(await db().outboundMessage.count({ where: { deviceId: device.id, kind: "BOOTSTRAP" } })).toBe(1);
    expect(await markBootstrap(actor, device.deviceUuid, false)).toBe(2);
    await sendBootstrap(actor, device.deviceUuid);
    expect(await db().outboundMessage.count({ where: { deviceId: device.id, kind: "BOOTSTRAP" } })).toBe(2);
  });

  it("a failed bootstrap falls back to the planned link method and sends the link", async () => {
    const { actor, device, jobId } = await dmJob("SMS_PUSH");
    expect(await markBootstrap(actor, device.deviceUuid, false)).toBe(1);
    expect(await job(jobId)).toMatchObject({ status: "WAITING_FOR_DOWNLOAD", fallbackMethod: "SMS_PUSH" });
    const sms = await db().outboundMessage.findFirstOrThrow({ where: { jobId, kind: "SMS_PUSH" } });
    expect(sms.recipient).toBe("+15550199");
    const { actor: readonly } = await createTestUser("readonly");
    await expect(markBootstrap(readonly, device.deviceUuid, true)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

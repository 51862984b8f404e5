/** Where installation jobs get their rows. */
import { db, type Tx } from "@/lib/db/client";
import { initialStatus, methodLabel, type InstallMethod } from "./status-model";

export type CreateJobInput = { deviceId: number; softwareId: number; method: InstallMethod; now: Date };

/** Creates a job in the status its method implies, with its first log row, in one transaction. */
export async function createInstallationJob(input: CreateJobInput, tx?: Tx): Promise<{ id: number }> {
  const run = async (t: Tx) => {
    const device = await t.device.findUniqueOrThrow({ where: { id: input.deviceId }, select: { omaDmBootstrapped: true } });
    const status = initialStatus(input.method, device.omaDmBootstrapped);
    const job = await t.installationJob.create({
      data: { deviceId: input.deviceId, softwareId: input.softwareId, method: input.method, status, createdAt: input.now, updatedAt: input.now },
      select: { id: true },
    });
    await t.installationLogEntry.create({
      data: {
        jobId: job.id,
        deviceId: input.deviceId,
        receivedAt: input.now,
        event: `Installation job created (${methodLabel(input.method)})`,
        statusAfter: status,
      },
    });
    return job;
  };
  return tx ? run(tx) : db().$transaction(run);
}

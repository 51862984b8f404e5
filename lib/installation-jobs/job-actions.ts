/**
 * What an administrator does to a job (console and API), each checked against the actor's
 * role and recorded in the audit trail after the job writer has applied it.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { cancelJob } from "./cancel-job";
import { getJob } from "./queries";

async function jobOrThrow(jobId: number) {
  const job = await getJob(jobId);
  if (!job) throw new AppError("NOT_FOUND", `There is no installation job ${jobId}.`);
  return job;
}

export async function cancelJobAs(actor: Actor, jobId: number): Promise<void> {
  assertCan(actor, { job: ["write"] });
  const job = await jobOrThrow(jobId);
  await cancelJob(jobId);
  await recordAudit(actor, "job.cancel", { type: "job", id: jobId }, { device: job.deviceUuid, software: `${job.softwareName} ${job.softwareVersion}`, status: job.status });
}

/** Cancelling an unfinished job: it keeps its last status, leaves the sub-tables and the device's next poll. */
import { AppError } from "@/lib/errors";
import { applyEventToJob } from "./job-writer";

export async function cancelJob(jobId: number, now = new Date()): Promise<void> {
  const applied = await applyEventToJob(jobId, { type: "JOB_CANCELLED" }, now);
  if (!applied) throw new AppError("NOT_FOUND", `There is no installation job ${jobId}.`);
  if (!applied.transition.changed) {
    throw new AppError("CONFLICT", applied.transition.note === "CANCELLED" ? "The job is already cancelled." : "A finished job cannot be cancelled.");
  }
}

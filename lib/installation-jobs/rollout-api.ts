/** What the pause and resume routes answer: the batch's release as the Installation status view shows it. */
import { AppError } from "@/lib/errors";
import { getBatch } from "./batches";

export function batchIdParam(text: string): number {
  const id = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2 ** 31 - 1) throw new AppError("NOT_FOUND", `There is no installation ${text}.`);
  return id;
}

export async function rolloutAnswer(id: number) {
  const batch = await getBatch(id);
  if (!batch) throw new AppError("NOT_FOUND", `There is no installation ${id}.`);
  const { skippedTargets: _, ...rollout } = batch.rollout!;
  return { batchId: batch.id, jobCount: batch.jobCount, rollout };
}

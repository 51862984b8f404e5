"use server";
import { revalidatePath } from "next/cache";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { pauseBatchAs, resumeBatchAs } from "@/lib/installation-jobs/rollout";

export async function pauseBatchAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const batchId = Number(formInput(formData).batchId);
    await pauseBatchAs(actor, batchId);
    revalidatePath(`/batches/${batchId}`);
    return "Paused: no more jobs are released until you resume.";
  });
}

export async function resumeBatchAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const batchId = Number(formInput(formData).batchId);
    const { released } = await resumeBatchAs(actor, batchId);
    revalidatePath(`/batches/${batchId}`);
    return released > 0 ? `Resumed: ${released} released now, the rest on schedule.` : "Resumed: the release goes on on schedule.";
  });
}

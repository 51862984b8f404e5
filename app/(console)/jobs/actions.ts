"use server";
import { revalidatePath } from "next/cache";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { cancelJobAs } from "@/lib/installation-jobs/job-actions";

export async function cancelJobAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const jobId = Number(formInput(formData).jobId);
    await cancelJobAs(actor, jobId);
    revalidatePath(`/jobs/${jobId}`);
    return "Cancelled: the package leaves the device's next poll.";
  });
}

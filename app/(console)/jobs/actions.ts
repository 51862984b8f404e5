"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionOrigin } from "@/lib/actions/action-origin";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { resendJobLink } from "@/lib/delivery/resend";
import { AppError } from "@/lib/errors";
import { cancelJobAs, removeJobAs, retryJobAs } from "@/lib/installation-jobs/job-actions";

export async function cancelJobAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const jobId = Number(formInput(formData).jobId);
    await cancelJobAs(actor, jobId);
    revalidatePath(`/jobs/${jobId}`);
    return "Cancelled: the package leaves the device's next poll.";
  });
}

export async function retryJobAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const jobId = Number(formInput(formData).jobId);
    const { attempts } = await retryJobAs(actor, jobId, await actionOrigin());
    revalidatePath(`/jobs/${jobId}`);
    return `Retried: attempt ${attempts} has started.`;
  });
}

export async function resendJobLinkAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const jobId = Number(formInput(formData).jobId);
    if (!Number.isSafeInteger(jobId) || jobId <= 0) throw new AppError("NOT_FOUND", "The form names no job.");
    const messageId = await resendJobLink(actor, jobId, await actionOrigin());
    revalidatePath(`/jobs/${jobId}`);
    return `The link was sent again: message ${messageId} replaces the messages still waiting to go out.`;
  });
}

export async function removeJobAction(_: FormState, formData: FormData): Promise<FormState> {
  const { jobId, deviceUuid } = formInput(formData);
  const state = await runAction(async (actor) => {
    await removeJobAs(actor, Number(jobId));
    return "Removed.";
  });
  if (state.status === "ok") redirect(`/devices/${encodeURIComponent(deviceUuid ?? "")}`);
  return state;
}

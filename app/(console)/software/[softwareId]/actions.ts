"use server";
import { revalidatePath } from "next/cache";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { updateSoftware, withdrawSoftwareEntry } from "@/lib/software/manage-software";
import { softwarePatchFromForm } from "@/lib/software/software-schemas";

export async function updateSoftwareAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { softwareId, patch } = softwarePatchFromForm(formInput(formData));
    await updateSoftware(actor, softwareId, patch);
    revalidatePath(`/software/${softwareId}`);
    return "Saved. Devices get the new instructions when they next ask for them.";
  }, formData);
}

export async function withdrawSoftwareAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const id = Number(formInput(formData).softwareId);
    const devices = await withdrawSoftwareEntry(actor, id);
    revalidatePath(`/software/${id}`);
    return `Withdrawn: it left the poll of ${devices} device${devices === 1 ? "" : "s"}.`;
  });
}

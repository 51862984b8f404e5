"use server";
import { revalidatePath } from "next/cache";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { updateServerSettings } from "@/lib/settings/manage-settings";

export async function updateServerSettingsAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    await updateServerSettings(actor, formInput(formData));
    revalidatePath("/settings");
    return "Saved. Devices get the new settings at their next poll.";
  }, formData);
}

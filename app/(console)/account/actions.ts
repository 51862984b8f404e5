"use server";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { changeOwnPassword } from "@/lib/users/manage-users";

export async function changePasswordAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    await changeOwnPassword(actor, formInput(formData));
    return "Password changed.";
  });
}

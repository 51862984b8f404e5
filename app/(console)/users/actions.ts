"use server";
import { revalidatePath } from "next/cache";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { createConsoleUser, removeUser, roleLabel, setUserDisabled, setUserPassword, setUserRole } from "@/lib/users/manage-users";

function done(message: string): string {
  revalidatePath("/users");
  return message;
}

export async function createUserAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const user = await createConsoleUser(actor, formInput(formData));
    return done(`Created ${user.email} (${roleLabel(user.role)}).`);
  }, formData);
}

export async function setRoleAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { userId, role } = formInput(formData);
    await setUserRole(actor, userId ?? "", role);
    return done(`Role set to ${roleLabel(role ?? null)}.`);
  });
}

export async function setDisabledAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { userId, disabled } = formInput(formData);
    await setUserDisabled(actor, userId ?? "", disabled === "true");
    return done(disabled === "true" ? "Disabled; their sessions ended." : "Enabled.");
  });
}

export async function setPasswordAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { userId, password } = formInput(formData);
    await setUserPassword(actor, userId ?? "", password);
    return done("Password set; their sessions ended.");
  });
}

export async function removeUserAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { userId } = formInput(formData);
    await removeUser(actor, userId ?? "");
    return done("Removed.");
  });
}

export async function createApiTokenAction(_: FormState, formData: FormData): Promise<FormState> {
  let token = "";
  const state = await runAction(async (actor) => {
    const created = await createApiToken(actor, formInput(formData));
    token = created.token;
    return done(`Token "${created.row.name}" created for ${created.row.userEmail}. Copy it now: it is not shown again.`);
  }, formData);
  return token ? { ...state, values: { token } } : state;
}

export async function revokeApiTokenAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    await revokeApiToken(actor, Number(formInput(formData).tokenId));
    return done("Token revoked.");
  });
}

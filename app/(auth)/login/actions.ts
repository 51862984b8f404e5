"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { IDLE, formInput, type FormState } from "@/lib/actions/form-state";
import { auth } from "@/lib/auth/auth";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorFromHeaders, safeReturnPath } from "@/lib/auth/session";
import { signIn, signInSchema } from "@/lib/auth/sign-in";
import { CLIENT_ADDRESS_HEADER } from "@/lib/server/trusted-headers";
import { isAppError } from "@/lib/errors";
import { fieldErrors } from "@/lib/validation";

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const parsed = signInSchema.safeParse({ email: input.email, password: input.password });
  if (!parsed.success) {
    const fields = Object.fromEntries(fieldErrors(parsed.error).map((f) => [f.field, f.message]));
    return { ...IDLE, status: "error", message: "Enter your email address and password.", fields, values: { email: input.email ?? "" }, at: Date.now() };
  }
  const h = await headers();
  try {
    await signIn(parsed.data, { headers: h, ipAddress: h.get(CLIENT_ADDRESS_HEADER), userAgent: h.get("user-agent"), via: "console" });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { ...IDLE, status: "error", message: error.message, values: { email: parsed.data.email }, at: Date.now() };
  }
  redirect(safeReturnPath(input.next));
}

export async function signOutAction(): Promise<void> {
  const h = await headers();
  const actor = await actorFromHeaders(h);
  await (await auth()).api.signOut({ headers: h });
  if (actor) await recordAudit(actor, "auth.sign_out", { type: "user", id: actor.userId });
  redirect("/login");
}

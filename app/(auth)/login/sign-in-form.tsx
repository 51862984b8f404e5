"use client";
import { useActionState } from "react";
import { FormStatus, TextField } from "@/components/forms/form-status";
import { IDLE } from "@/lib/actions/form-state";
import { signInAction } from "./actions";

export function SignInForm({ next }: { next: string | undefined }) {
  const [state, action, pending] = useActionState(signInAction, IDLE);
  return (
    <form action={action} className="form" noValidate aria-describedby="sign-in-status">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {/* Both remount on every answer (autoFocus acts only on mount): the typed address comes back after a refusal, and the focus goes to the password. */}
      <TextField key={`email-${state.at}`} id="email" name="email" label="Email" state={state} type="email" autoComplete="username" required autoFocus={state.status !== "error"} defaultValue={state.values?.email} />
      <TextField key={`password-${state.at}`} id="password" name="password" label="Password" state={state} type="password" autoComplete="current-password" required autoFocus={state.status === "error"} />
      <FormStatus id="sign-in-status" state={state} />
      <button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

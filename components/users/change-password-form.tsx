"use client";
import { useActionState, useEffect, useRef } from "react";
import { FieldError, FormStatus } from "@/components/forms/form-status";
import { IDLE } from "@/lib/actions/form-state";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth-limits";
import { changePasswordAction } from "@/app/(console)/account/actions";

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, IDLE);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "ok") form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={action} className="form" aria-label="Change your password" noValidate>
      <label htmlFor="current-password">Current password</label>
      <input id="current-password" name="currentPassword" type="password" autoComplete="current-password" required aria-invalid={Boolean(state.fields.currentPassword)} />
      <FieldError state={state} name="currentPassword" />
      <label htmlFor="new-password">New password</label>
      <input id="new-password" name="newPassword" type="password" autoComplete="new-password" minLength={MIN_PASSWORD_LENGTH} required aria-invalid={Boolean(state.fields.newPassword)} />
      <FieldError state={state} name="newPassword" />
      <FormStatus state={state} />
      <button type="submit" disabled={pending}>
        Change password
      </button>
    </form>
  );
}

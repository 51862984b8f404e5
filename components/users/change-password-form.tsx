"use client";
import { useActionState, useEffect, useRef } from "react";
import { FormStatus, TextField } from "@/components/forms/form-status";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { formInput, IDLE } from "@/lib/actions/form-state";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth-limits";
import { changePasswordSchema } from "@/lib/users/user-schemas";
import { changePasswordAction } from "@/app/(console)/account/actions";

export function ChangePasswordForm() {
  const [server, action, pending] = useActionState(changePasswordAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(changePasswordSchema, server, formInput);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (server.status === "ok") form.current?.reset();
  }, [server]);
  return (
    <form ref={form} action={action} onSubmit={onSubmit} className="form" aria-label="Change your password" noValidate>
      <TextField id="current-password" name="currentPassword" label="Current password" state={state} type="password" autoComplete="current-password" required />
      <TextField id="new-password" name="newPassword" label="New password" state={state} type="password" autoComplete="new-password" minLength={MIN_PASSWORD_LENGTH} required hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} />
      <FormStatus state={state} />
      <button type="submit" disabled={pending}>
        Change password
      </button>
    </form>
  );
}

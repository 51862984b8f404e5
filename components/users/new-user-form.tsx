"use client";
import { useActionState } from "react";
import { FieldError, FormStatus, TextField } from "@/components/forms/form-status";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { formInput, IDLE } from "@/lib/actions/form-state";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth-limits";
import { ROLE_LABELS, ROLES } from "@/lib/auth/roles-public";
import { newUserSchema } from "@/lib/users/user-schemas";
import { createUserAction } from "@/app/(console)/users/actions";

export function NewUserForm() {
  const [server, action, pending] = useActionState(createUserAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(newUserSchema, server, formInput);
  const v = state.values ?? {};
  return (
    // Remounted on every answer: the inputs take back what a refusal echoed (or start empty).
    <form key={server.at} action={action} onSubmit={onSubmit} className="form" aria-label="Add a user" noValidate>
      <TextField id="new-email" name="email" label="Email" state={state} type="email" autoComplete="off" required defaultValue={v.email} />
      <TextField id="new-name" name="name" label="Name" state={state} required defaultValue={v.name} />
      <label htmlFor="new-role">Role</label>
      <select id="new-role" name="role" defaultValue={v.role ?? "readonly"} aria-invalid={Boolean(state.fields.role) || undefined} aria-describedby={state.fields.role ? "role-error" : undefined}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <FieldError state={state} name="role" />
      <TextField
        id="new-password"
        name="password"
        label="Password"
        state={state}
        type="password"
        autoComplete="new-password"
        minLength={MIN_PASSWORD_LENGTH}
        required
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. Give it to the user in person; they can change it under their account.`}
      />
      <FormStatus state={state} />
      <button type="submit" disabled={pending}>
        Add user
      </button>
    </form>
  );
}

"use client";
import { useActionState } from "react";
import { FieldError, FormStatus } from "@/components/forms/form-status";
import { IDLE } from "@/lib/actions/form-state";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth-limits";
import { ROLE_LABELS, ROLES } from "@/lib/auth/roles-public";
import { createUserAction } from "@/app/(console)/users/actions";

export function NewUserForm() {
  const [state, action, pending] = useActionState(createUserAction, IDLE);
  const v = state.values ?? {};
  return (
    // Remounted on every answer: the inputs take back what a refusal echoed (or start empty).
    <form key={state.at} action={action} className="form" aria-label="Add a user" noValidate>
      <label htmlFor="new-email">Email</label>
      <input id="new-email" name="email" type="email" autoComplete="off" required defaultValue={v.email} aria-invalid={Boolean(state.fields.email)} aria-describedby="email-error" />
      <FieldError state={state} name="email" />
      <label htmlFor="new-name">Name</label>
      <input id="new-name" name="name" required defaultValue={v.name} aria-invalid={Boolean(state.fields.name)} aria-describedby="name-error" />
      <FieldError state={state} name="name" />
      <label htmlFor="new-role">Role</label>
      <select id="new-role" name="role" defaultValue={v.role ?? "readonly"} aria-invalid={Boolean(state.fields.role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <FieldError state={state} name="role" />
      <label htmlFor="new-password">Password</label>
      <input
        id="new-password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={MIN_PASSWORD_LENGTH}
        required
        aria-invalid={Boolean(state.fields.password)}
        aria-describedby="password-error password-hint"
      />
      <p id="password-hint" className="muted">
        At least {MIN_PASSWORD_LENGTH} characters. Give it to the user in person; they can change it under their account.
      </p>
      <FieldError state={state} name="password" />
      <FormStatus state={state} />
      <button type="submit" disabled={pending}>
        Add user
      </button>
    </form>
  );
}

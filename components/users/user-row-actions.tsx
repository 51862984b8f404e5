"use client";
/**
 * The per-user controls of the users table. Each is its own small form with its own status
 * line, so a refusal ("would leave no enabled Admin") appears beside the control that caused it.
 */
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { IDLE, type FormState } from "@/lib/actions/form-state";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth-limits";
import { ROLE_LABELS, ROLES } from "@/lib/auth/roles-public";
import { removeUserAction, setDisabledAction, setPasswordAction, setRoleAction } from "@/app/(console)/users/actions";
import type { UserRow } from "./user-columns";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

function useRowAction(action: Action) {
  return useActionState(action, IDLE);
}

export function UserRowActions({ user }: { user: UserRow }) {
  const [roleState, roleAction, rolePending] = useRowAction(setRoleAction);
  const [disableState, disableAction, disablePending] = useRowAction(setDisabledAction);
  const [passwordState, passwordAction, passwordPending] = useRowAction(setPasswordAction);
  const [removeState, removeAction, removePending] = useRowAction(removeUserAction);
  const label = user.email;
  return (
    <div className="row-actions">
      <form action={roleAction} className="inline-form">
        <input type="hidden" name="userId" value={user.id} />
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          Role of {label}
        </label>
        <select id={`role-${user.id}`} name="role" defaultValue={user.role ?? ""}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary" disabled={rolePending} aria-label={`Save role of ${label}`}>
          Save role
        </button>
      </form>
      <form action={disableAction} className="inline-form">
        <input type="hidden" name="userId" value={user.id} />
        <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
        <button type="submit" className={user.disabled ? "secondary" : "danger"} disabled={disablePending} aria-label={`${user.disabled ? "Enable" : "Disable"} ${label}`}>
          {user.disabled ? "Enable" : "Disable"}
        </button>
      </form>
      <form action={passwordAction} className="inline-form">
        <input type="hidden" name="userId" value={user.id} />
        <label className="visually-hidden" htmlFor={`password-${user.id}`}>
          New password for {label}
        </label>
        <input id={`password-${user.id}`} name="password" type="password" autoComplete="new-password" minLength={MIN_PASSWORD_LENGTH} placeholder="New password" />
        <button type="submit" className="secondary" disabled={passwordPending} aria-label={`Set password of ${label}`}>
          Set password
        </button>
      </form>
      <form
        action={removeAction}
        className="inline-form"
        onSubmit={(e) => {
          if (!window.confirm(`Remove ${label}? Their audit events stay.`)) e.preventDefault();
        }}
      >
        <input type="hidden" name="userId" value={user.id} />
        <button type="submit" className="danger" disabled={removePending} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </form>
      {[roleState, disableState, passwordState, removeState]
        .filter((s) => s.status !== "idle")
        .sort((a, b) => b.at - a.at)
        .slice(0, 1)
        .map((s) => (
          <FormStatus key={s.at} state={s} />
        ))}
    </div>
  );
}

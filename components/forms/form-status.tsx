import type { FormState } from "@/lib/actions/form-state";

/** The aria-live line every console form ends with: what the last submit did, or why not. */
export function FormStatus({ state, id }: { state: FormState; id?: string }) {
  return (
    <p id={id} role="status" aria-live="polite" data-testid="form-status" className={state.status === "error" ? "form-error" : state.status === "ok" ? "form-ok" : "muted"}>
      {state.message}
    </p>
  );
}

export function FieldError({ state, name }: { state: FormState; name: string }) {
  const message = state.fields[name];
  return message ? (
    <p className="field-error" id={`${name}-error`}>
      {message}
    </p>
  ) : null;
}

import type { InputHTMLAttributes, ReactNode } from "react";
import type { FormState } from "@/lib/actions/form-state";

/** The aria-live line every console form ends with: what the last submit did, or why not. */
export function FormStatus({ state, id }: { state: FormState; id?: string }) {
  return (
    <p id={id} role="status" aria-live="polite" data-testid="form-status" className={state.status === "error" ? "form-error" : state.status === "ok" ? "form-ok" : "muted"}>
      {state.message}
    </p>
  );
}

/** A field's message; `id` is what its control's aria-describedby names (by default `<name>-error`). */
export function FieldError({ state, name, id = `${name}-error` }: { state: FormState; name: string; id?: string }) {
  const message = state.fields[name];
  return message ? (
    <p className="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

type TextFieldProps = { id: string; name: string; label: ReactNode; state: FormState; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name">;

/**
 * A labelled input with its hint and its message, wired for screen readers: aria-invalid when
 * the last answer (the server's or the browser's schema check) found it wrong, and
 * aria-describedby naming the hint and the message, so both are read with the field.
 */
export function TextField({ id, name, label, state, hint, ...input }: TextFieldProps) {
  const invalid = Boolean(state.fields[name]);
  const described = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={invalid || undefined} aria-describedby={described || undefined} {...input} />
      {hint ? (
        <p id={`${id}-hint`} className="muted">
          {hint}
        </p>
      ) : null}
      <FieldError state={state} name={name} id={`${id}-error`} />
    </>
  );
}

"use client";
import { useActionState } from "react";
import { IDLE } from "@/lib/actions/form-state";
import { signInAction } from "./actions";

export function SignInForm({ next }: { next: string | undefined }) {
  const [state, action, pending] = useActionState(signInAction, IDLE);
  return (
    <form action={action} className="form" noValidate aria-describedby="sign-in-status">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <label htmlFor="email">Email</label>
      <input
        key={state.at}
        id="email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus={state.status !== "error"}
        defaultValue={state.values?.email}
        aria-invalid={Boolean(state.fields.email)}
      />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus={state.status === "error"}
        aria-invalid={Boolean(state.fields.password)}
      />
      <p id="sign-in-status" role="status" aria-live="polite" data-testid="form-status" className={state.status === "error" ? "form-error" : "muted"}>
        {state.message}
      </p>
      <button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

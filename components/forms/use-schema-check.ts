"use client";
/**
 * Checks a form against the schema its service checks, in the browser, before the server
 * action runs: the same zod schema, the same messages, so a mistake is shown at once without a
 * round trip, and the server still decides (it checks again). The returned state merges the
 * server's answer with the local findings, for FieldError and FormStatus.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { z } from "zod";
import type { FormState } from "@/lib/actions/form-state";
import { fieldErrors } from "@/lib/validation";

/**
 * `toInput` maps the form's data (with the button that submitted it) to what the service's
 * schema checks, the same mapping the server action uses; `null` means there is nothing to
 * check for this submit (a "reset" button, say).
 */
export function useSchemaCheck(schema: z.ZodType, server: FormState, toInput: (formData: FormData) => unknown) {
  // The local finding is tied to the server answer it was made after (not compared by clock:
  // the browser's and the server's need not agree); a new server answer replaces it.
  const [local, setLocal] = useState<{ fields: Record<string, string>; after: number } | null>(null);
  const form = useRef<HTMLFormElement | null>(null);
  // The first field marked gets the focus (and scrolls into view), so a long form's mistake is
  // not left off screen with only the status line saying so.
  useEffect(() => {
    if (local) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [local]);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    form.current = event.currentTarget;
    const input = toInput(formDataWithSubmitter(event));
    if (input === null) return setLocal(null);
    const result = schema.safeParse(input);
    if (result.success) return setLocal(null);
    event.preventDefault();
    setLocal({ fields: Object.fromEntries(fieldErrors(result.error).map((f) => [f.field, f.message])), after: server.at });
  }
  // No `values`: what the server echoed (a token shown once, say) belongs to its own answer.
  const state: FormState = local && local.after === server.at ? { status: "error", message: "Check the fields marked.", fields: local.fields, at: server.at + 1 } : server;
  return { state, onSubmit };
}

/** The form's data with the button that submitted it, as the server action receives it. */
function formDataWithSubmitter(event: FormEvent<HTMLFormElement>): FormData {
  const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
  try {
    return new FormData(event.currentTarget, submitter);
  } catch {
    // Browsers before 2023 take no submitter: add its name and value by hand.
    const data = new FormData(event.currentTarget);
    if (submitter?.name) data.append(submitter.name, submitter.value);
    return data;
  }
}

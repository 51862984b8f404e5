"use client";
/**
 * Checks a form against the schema its service checks, in the browser, before the server
 * action runs: the same zod schema, the same messages, so a mistake is shown at once without a
 * round trip, and the server still decides (it checks again). The returned state merges the
 * server's answer with the local findings, for FieldError and FormStatus.
 */
import { useState, type FormEvent } from "react";
import type { z } from "zod";
import type { FormState } from "@/lib/actions/form-state";
import { fieldErrors } from "@/lib/validation";

/**
 * `toInput` maps the form's data (with the button that submitted it) to what the service's
 * schema checks, the same mapping the server action uses; `null` means there is nothing to
 * check for this submit (a "reset" button, say).
 */
export function useSchemaCheck(schema: z.ZodType, server: FormState, toInput: (formData: FormData) => unknown) {
  const [local, setLocal] = useState<{ fields: Record<string, string>; at: number } | null>(null);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const input = toInput(new FormData(event.currentTarget, submitter));
    if (input === null) return setLocal(null);
    const result = schema.safeParse(input);
    if (result.success) return setLocal(null);
    event.preventDefault();
    setLocal({ fields: Object.fromEntries(fieldErrors(result.error).map((f) => [f.field, f.message])), at: Date.now() });
  }
  // The newer of the two answers speaks.
  const state: FormState = local && local.at > server.at ? { status: "error", message: "Check the fields marked.", fields: local.fields, values: server.values, at: local.at } : server;
  return { state, onSubmit };
}

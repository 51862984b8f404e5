/**
 * What a server action answers to its form: a message for the aria-live region and a message
 * per field. Plain data, so client components can import it.
 */
export type FormState = {
  status: "idle" | "ok" | "error";
  message: string;
  fields: Record<string, string>;
  /** What the user typed, given back: React resets a form after its action (never passwords). */
  values?: Record<string, string>;
  /** Changes on every answer, so a form can tell a repeated message from an old one. */
  at: number;
};

export const IDLE: FormState = { status: "idle", message: "", fields: {}, at: 0 };

export function okState(message: string): FormState {
  return { status: "ok", message, fields: {}, at: Date.now() };
}

/** FormData → plain object for a schema; empty strings become undefined so optional fields work. */
export function formInput(formData: FormData): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (typeof value === "string") out[key] = value === "" ? undefined : value;
  }
  return out;
}

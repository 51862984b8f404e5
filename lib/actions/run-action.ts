/**
 * The wrapper every server action of the console goes through: the signed-in user (or a
 * redirect to sign in), then the service, then the service's AppError turned into form
 * state. Anything else is a bug: it is rethrown, logged by Next, and the form says so.
 * Services check permissions themselves, so a crafted POST to an action gets the same
 * refusal as the API.
 */
import "server-only";
import { requireActor } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/actor";
import { isAppError } from "@/lib/errors";
import { okState, type FormState } from "./form-state";

/**
 * `formData`, when given, is echoed back on a refusal (passwords excepted), because React
 * resets a form after its action and a refused input must not be lost.
 */
export async function runAction(work: (actor: Actor) => Promise<string>, formData?: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    return okState(await work(actor));
  } catch (error) {
    if (!isAppError(error)) throw error;
    const fields = Object.fromEntries((error.details?.fields ?? []).map((f) => [f.field, f.message]));
    return { status: "error", message: error.message, fields, values: echo(formData), at: Date.now() };
  }
}

function echo(formData: FormData | undefined): Record<string, string> | undefined {
  if (!formData) return undefined;
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION") && !/password/i.test(key)) values[key] = value;
  }
  return values;
}

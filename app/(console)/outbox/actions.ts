"use server";
import { redirect } from "next/navigation";
import { actionOrigin } from "@/lib/actions/action-origin";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { messageHref } from "@/lib/delivery/message-view";
import { resendMessage } from "@/lib/delivery/resend";

/** Resend from a message's page: on success the new message's page, which says what it replaced. */
export async function resendMessageAction(_: FormState, formData: FormData): Promise<FormState> {
  const messageId = formInput(formData).messageId ?? "";
  let created: string | null = null;
  const state = await runAction(async (actor) => {
    created = await resendMessage(actor, messageId, await actionOrigin());
    return "Sent again.";
  });
  // redirect() throws: outside runAction, so its wrapper does not take it for a failure.
  if (state.status === "ok" && created) redirect(`${messageHref(created)}?resent=${encodeURIComponent(messageId)}`);
  return state;
}

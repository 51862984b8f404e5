"use client";
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { IDLE } from "@/lib/actions/form-state";
import { resendMessageAction } from "@/app/(console)/outbox/actions";

/** Resend: shown when the message's job or device still calls for it; the server checks again under its locks. */
export function ResendMessageButton({ messageId, bootstrap }: { messageId: string; bootstrap: boolean }) {
  const [state, action, pending] = useActionState(resendMessageAction, IDLE);
  return (
    <form action={action} className="row-actions" aria-label="Resend">
      <input type="hidden" name="messageId" value={messageId} />
      <button type="submit" disabled={pending}>
        Resend
      </button>
      <span className="muted">
        {bootstrap
          ? "Sends the bootstrap again (its timeout starts again); a bootstrap still waiting to go out is cancelled."
          : "Sends the job's link again with a fresh ticket; messages still waiting to go out are cancelled."}
      </span>
      <FormStatus state={state} />
    </form>
  );
}

"use client";
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { IDLE } from "@/lib/actions/form-state";
import { bootstrapAction } from "@/app/(console)/devices/[deviceUuid]/actions";

/** Until the OMA DM session endpoint exists, an administrator sends the bootstrap and says how it went. */
export function BootstrapControls({ deviceUuid, bootstrapped }: { deviceUuid: string; bootstrapped: boolean }) {
  const [state, action, pending] = useActionState(bootstrapAction, IDLE);
  return (
    <form action={action} className="row-actions" aria-label="OMA DM bootstrap">
      <input type="hidden" name="deviceUuid" value={deviceUuid} />
      <span className="muted">OMA DM: {bootstrapped ? "bootstrapped" : "not bootstrapped"}</span>
      <button type="submit" name="step" value="send" className="secondary" disabled={pending}>
        Send a bootstrap
      </button>
      <button type="submit" name="step" value="succeeded" className="secondary" disabled={pending}>
        Mark as bootstrapped
      </button>
      <button type="submit" name="step" value="failed" className="secondary" disabled={pending}>
        Mark bootstrap as failed
      </button>
      <FormStatus state={state} />
    </form>
  );
}

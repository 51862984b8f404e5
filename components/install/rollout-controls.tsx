"use client";
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { pauseBatchAction, resumeBatchAction } from "@/app/(console)/batches/actions";
import { IDLE, type FormState } from "@/lib/actions/form-state";

/** Pause or Resume a gradual installation (Admin and Superuser; the service checks the role again). */
export function RolloutControls({ batchId, paused }: { batchId: number; paused: boolean }) {
  const [pState, pause, pausing] = useActionState(pauseBatchAction, IDLE);
  const [rState, resume, resuming] = useActionState(resumeBatchAction, IDLE);
  const latest = [pState, rState].filter((s) => s.status !== "idle").sort((a, b) => b.at - a.at)[0] as FormState | undefined;
  return (
    <div className="row-actions">
      {paused ? (
        <form action={resume} className="inline-form">
          <input type="hidden" name="batchId" value={batchId} />
          <button type="submit" disabled={resuming}>
            Resume release
          </button>
        </form>
      ) : (
        <form action={pause} className="inline-form">
          <input type="hidden" name="batchId" value={batchId} />
          <button type="submit" className="secondary" disabled={pausing}>
            Pause release
          </button>
        </form>
      )}
      {latest ? <FormStatus state={latest} /> : null}
    </div>
  );
}

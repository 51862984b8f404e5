"use client";
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { IDLE } from "@/lib/actions/form-state";
import { cancelJobAction } from "@/app/(console)/jobs/actions";

/** The actions a job allows in its state; the server checks the same rules again. */
export function JobActionButtons({ jobId, canCancel }: { jobId: number; canCancel: boolean }) {
  const [state, cancel, cancelling] = useActionState(cancelJobAction, IDLE);
  return (
    <div className="row-actions">
      {canCancel ? (
        <form action={cancel} className="inline-form" onSubmit={(e) => !window.confirm("Cancel this job? The package leaves the device's next poll.") && e.preventDefault()}>
          <input type="hidden" name="jobId" value={jobId} />
          <button type="submit" className="danger" disabled={cancelling}>
            Cancel job
          </button>
        </form>
      ) : null}
      <FormStatus state={state} />
    </div>
  );
}

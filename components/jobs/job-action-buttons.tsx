"use client";
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { IDLE, type FormState } from "@/lib/actions/form-state";
import { cancelJobAction, removeJobAction, resendJobLinkAction, retryJobAction } from "@/app/(console)/jobs/actions";

type Props = { jobId: number; deviceUuid: string; canCancel: boolean; canRetry: boolean; canResendLink: boolean };

/** The actions a job allows in its state; the server checks the same rules again. */
export function JobActionButtons({ jobId, deviceUuid, canCancel, canRetry, canResendLink }: Props) {
  const [cState, cancel, cancelling] = useActionState(cancelJobAction, IDLE);
  const [rState, retry, retrying] = useActionState(retryJobAction, IDLE);
  const [dState, remove, removing] = useActionState(removeJobAction, IDLE);
  const [lState, resendLink, resending] = useActionState(resendJobLinkAction, IDLE);
  const latest = [cState, rState, dState, lState].filter((s) => s.status !== "idle").sort((a, b) => b.at - a.at)[0] as FormState | undefined;
  return (
    <div className="row-actions job-actions">
      {canRetry ? (
        <form action={retry} className="inline-form">
          <input type="hidden" name="jobId" value={jobId} />
          <button type="submit" disabled={retrying}>
            Retry
          </button>
        </form>
      ) : null}
      {canResendLink ? (
        <form action={resendLink} className="inline-form">
          <input type="hidden" name="jobId" value={jobId} />
          <button type="submit" className="secondary" disabled={resending}>
            Send the link again
          </button>
        </form>
      ) : null}
      {canCancel ? (
        <form action={cancel} className="inline-form" onSubmit={(e) => !window.confirm("Cancel this job? The package leaves the device's next poll.") && e.preventDefault()}>
          <input type="hidden" name="jobId" value={jobId} />
          <button type="submit" className="danger" disabled={cancelling}>
            Cancel job
          </button>
        </form>
      ) : null}
      <form action={remove} className="inline-form" onSubmit={(e) => !window.confirm("Remove this job? Its history stays in the installation log.") && e.preventDefault()}>
        <input type="hidden" name="jobId" value={jobId} />
        <input type="hidden" name="deviceUuid" value={deviceUuid} />
        <button type="submit" className="secondary" disabled={removing}>
          Remove job
        </button>
      </form>
      {latest ? <FormStatus state={latest} /> : null}
      <p className="muted">
        {canRetry ? "Retry sends the package again (a new attempt). " : null}
        {canResendLink ? "Send the link again sends a new message with a fresh link; the ones still waiting to go out are cancelled. " : null}
        {canCancel ? "Cancel stops the job and takes the package out of the device's next poll; the job stays in the jobs list and on this page as cancelled. " : null}
        Remove deletes the job (an unfinished one also leaves the device&apos;s next poll); only its events stay in the installation log.
      </p>
    </div>
  );
}

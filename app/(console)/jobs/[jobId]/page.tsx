import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format";
import { LiveUpdates } from "@/components/live/live-updates";
import { JobActionButtons } from "@/components/jobs/job-action-buttons";
import { JobMessagesTable } from "@/components/jobs/job-detail-tables";
import { InstallationLog } from "@/components/log/installation-log";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { DEFAULT_MESSAGE_LIST, messageListHref } from "@/lib/delivery/list-messages-params";
import { linkResendCheck } from "@/lib/delivery/resend-rules";
import { getJob, JOB_MESSAGES_SHOWN, listJobMessages } from "@/lib/installation-jobs/queries";
import { isFinished, isRetryable, methodLabel, statusLabel, statusPriority } from "@/lib/installation-jobs/status-model";
import { listJobLog } from "@/lib/installation-log/queries";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ jobId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  await requireActor({ job: ["read"] });
  return { title: `Job ${(await params).jobId}` };
}

export default async function JobPage({ params }: Params) {
  const actor = await requireActor({ job: ["read"] });
  const job = await getJob(Number((await params).jobId));
  if (!job) notFound();
  const [history, messages] = await Promise.all([listJobLog(job.id), listJobMessages(job.id)]);
  const unfinished = !isFinished(job.status) && job.status !== "INSTALLATION_FAILED" && job.status !== "UNKNOWN_STATUS";
  // Offered while the job waits for its download by SMS or WAP push; resendJobLink checks again under its locks.
  const canResendLink = linkResendCheck({ ...job, cancelled: job.cancelledAt !== null }).ok;
  return (
    <>
      <p>
        <Link href={`/devices/${encodeURIComponent(job.deviceUuid)}`}>← {job.deviceName}</Link>
      </p>
      <div className="page-head">
        <h1>
          Job {job.id}: {job.softwareName} {job.softwareVersion}
        </h1>
        <LiveUpdates filter={{ jobs: [job.id] }} />
      </div>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`status status-${statusPriority(job.status)}`} data-status={job.status}>
            {statusLabel(job.status)}
          </span>
          {job.cancelledAt ? <span className="badge badge-muted">Cancelled {formatDateTime(job.cancelledAt)}</span> : null}
        </dd>
        <dt>Device</dt>
        <dd>
          <Link href={`/devices/${encodeURIComponent(job.deviceUuid)}`}>{job.deviceName}</Link> <span className="mono muted">{job.deviceUuid}</span>
        </dd>
        <dt>Software</dt>
        <dd>
          <Link href={`/software/${job.softwareId}`}>
            {job.softwareName} {job.softwareVersion}
          </Link>{" "}
          <span className="mono muted">{job.packageId}</span>
        </dd>
        <dt>Method</dt>
        <dd>
          {methodLabel(job.method)}
          {job.fallbackMethod ? ` → ${methodLabel(job.fallbackMethod)} (fallback${job.fallbackReason ? `: ${job.fallbackReason}` : ""})` : ""}
        </dd>
        <dt>Last report</dt>
        <dd>
          {job.lastMessageId ?? "—"}
          {job.lastReturnCode ? ` (return code ${job.lastReturnCode})` : ""}
        </dd>
        <dt>Attempt</dt>
        <dd data-testid="job-attempts">{job.attempts}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(job.createdAt)}</dd>
        <dt>Last changed</dt>
        <dd>{formatDateTime(job.updatedAt)}</dd>
        <dt>Completed</dt>
        <dd>{formatDateTime(job.completedAt)}</dd>
      </dl>
      {actorCan(actor, { job: ["write"] }) ? <JobActionButtons jobId={job.id} deviceUuid={job.deviceUuid} canCancel={unfinished && !job.cancelledAt} canRetry={isRetryable(job)} canResendLink={canResendLink} /> : null}
      <JobMessagesTable
        messages={messages}
        emptyText={job.method === "MARK_FOR_INSTALLATION" ? "None: Mark for Installation hands the link over at the device's next poll." : "No messages."}
        footer={messages.length >= JOB_MESSAGES_SHOWN ? `The newest ${JOB_MESSAGES_SHOWN}: the Outbox has them all.` : undefined}
      />
      <p>
        <Link href={messageListHref(DEFAULT_MESSAGE_LIST, { job: job.id })} data-testid="job-outbox-link">
          See all of this job&apos;s messages in the Outbox
        </Link>
      </p>
      <InstallationLog rows={history} deviceUuid={job.deviceUuid} caption="History of this job, oldest first" />
    </>
  );
}

import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format";
import { RolloutStatus } from "@/components/install/rollout-status";
import { BatchJobsTable } from "@/components/jobs/job-detail-tables";
import { LiveUpdates } from "@/components/live/live-updates";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { BATCH_ROWS_SHOWN, getBatch } from "@/lib/installation-jobs/batches";
import { DEFAULT_JOB_LIST, jobListHref } from "@/lib/installation-jobs/list-jobs-params";
import { methodLabel, statusLabel, statusPriority } from "@/lib/installation-jobs/status-model";

export const dynamic = "force-dynamic";
export const metadata = { title: "Installation status" };

/** The Installation status view of one install: counts per status and the jobs, live; for a gradual one, how far its release has got. */
export default async function BatchPage({ params }: { params: Promise<{ batchId: string }> }) {
  const actor = await requireActor({ job: ["read"] });
  const now = new Date();
  const batch = await getBatch(Number((await params).batchId), now);
  if (!batch) notFound();
  const devices = batch.rollout ? batch.rollout.targets : batch.jobCount;
  return (
    <>
      <div className="page-head">
        <h1>Installation status: {batch.softwareName}</h1>
        {/* A gradual install may have no job yet (its window is closed): nothing to follow then. */}
        {batch.jobIds.length ? <LiveUpdates filter={{ jobs: batch.jobIds }} /> : null}
      </div>
      <p className="muted">
        {devices} device{devices === 1 ? "" : "s"} by {methodLabel(batch.method)}
        {batch.fallbackMethod ? `, falling back to ${methodLabel(batch.fallbackMethod)}` : ""}; started <span className="nowrap">{formatDateTime(batch.createdAt)}</span>
        {batch.createdBy ? ` by ${batch.createdBy}` : ""}. <Link href={`/software/${batch.softwareId}`}>{batch.softwareName} in the library</Link>
      </p>
      {batch.rollout ? <RolloutStatus batchId={batch.id} rollout={batch.rollout} now={now.toISOString()} canChange={actorCan(actor, { job: ["write"] })} /> : null}
      <ul className="status-counts" aria-label="Jobs per status" data-testid="batch-counts">
        {batch.counts.map((c) => (
          <li key={c.status}>
            <span className={`status status-${statusPriority(c.status)}`}>{statusLabel(c.status)}</span>:{" "}
            <Link href={jobListHref(DEFAULT_JOB_LIST, { batch: batch.id, status: [c.status] })}>
              <strong>{c.count}</strong>
            </Link>
          </li>
        ))}
      </ul>
      <BatchJobsTable
        caption={`Jobs${batch.jobCount > BATCH_ROWS_SHOWN ? ` (the first ${BATCH_ROWS_SHOWN} of ${batch.jobCount})` : ""}, by status priority`}
        jobs={batch.jobs}
        footer={<Link href={jobListHref(DEFAULT_JOB_LIST, { batch: batch.id })}>All jobs of this install in the jobs list</Link>}
      />
    </>
  );
}

import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format";
import { BatchJobsTable } from "@/components/jobs/job-detail-tables";
import { LiveUpdates } from "@/components/live/live-updates";
import { requireActor } from "@/lib/auth/session";
import { BATCH_ROWS_SHOWN, getBatch } from "@/lib/installation-jobs/batches";
import { DEFAULT_JOB_LIST, jobListHref } from "@/lib/installation-jobs/list-jobs-params";
import { methodLabel, statusLabel, statusPriority } from "@/lib/installation-jobs/status-model";

export const dynamic = "force-dynamic";
export const metadata = { title: "Installation status" };

/** The Installation status view of one install: counts per status and the jobs, live. */
export default async function BatchPage({ params }: { params: Promise<{ batchId: string }> }) {
  await requireActor({ job: ["read"] });
  const batch = await getBatch(Number((await params).batchId));
  if (!batch) notFound();
  return (
    <>
      <div className="page-head">
        <h1>Installation status: {batch.softwareName}</h1>
        <LiveUpdates filter={{ jobs: batch.jobIds }} />
      </div>
      <p className="muted">
        {batch.jobCount} device{batch.jobCount === 1 ? "" : "s"} by {methodLabel(batch.method)}
        {batch.fallbackMethod ? `, falling back to ${methodLabel(batch.fallbackMethod)}` : ""}; started <span className="nowrap">{formatDateTime(batch.createdAt)}</span>
        {batch.createdBy ? ` by ${batch.createdBy}` : ""}. <Link href={`/software/${batch.softwareId}`}>{batch.softwareName} in the library</Link>
      </p>
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

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatBytes, formatDateTime } from "@/components/format";
import { EditSoftwareForm } from "@/components/software/edit-software-form";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { softwareCountHrefs } from "@/lib/installation-jobs/list-jobs-params";
import { softwareKindLabel } from "@/lib/installation-jobs/status-model";
import { getSoftware } from "@/lib/software/queries";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ softwareId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  await requireActor({ software: ["read"] });
  const entry = await getSoftware(Number((await params).softwareId));
  return { title: entry ? `${entry.name} ${entry.version}` : "Software not found" };
}

export default async function SoftwareEntryPage({ params }: Params) {
  const actor = await requireActor({ software: ["read"] });
  const entry = await getSoftware(Number((await params).softwareId));
  if (!entry) notFound();
  const canEdit = actorCan(actor, { software: ["write"] });
  const counts = softwareCountHrefs(entry.id);
  return (
    <>
      <p>
        <Link href="/software">← Software library</Link>
      </p>
      <h1>
        {entry.name} {entry.version}
        {entry.defaultBuild ? <span className="badge badge-default">Default build</span> : null}
        {entry.testBuild ? <span className="badge badge-test">Test build</span> : null}
        {entry.withdrawnAt ? <span className="badge badge-muted">Withdrawn</span> : null}
      </h1>
      {actorCan(actor, { job: ["write"] }) && !entry.withdrawnAt && entry.fileName ? (
        <p>
          <Link className="button-link" href={`/install/${entry.id}`}>
            Install on devices…
          </Link>
        </p>
      ) : null}
      <dl className="facts">
        <dt>Kind</dt>
        <dd>{softwareKindLabel(entry.kind)}</dd>
        <dt>Platform</dt>
        <dd>{entry.platform ?? "Any"}</dd>
        <dt>Package ID</dt>
        <dd className="mono">{entry.packageId}</dd>
        <dt>File</dt>
        <dd>
          {entry.fileName ? (
            <>
              <a href={`/software/${entry.id}/file`}>{entry.fileName}</a> ({formatBytes(entry.fileSize)}, {entry.fileSize?.toLocaleString("en")} bytes)
            </>
          ) : (
            "No file stored"
          )}
        </dd>
        <dt>SHA-256</dt>
        <dd className="mono">{entry.fileSha256 ?? "—"}</dd>
        <dt>Added</dt>
        <dd>
          {formatDateTime(entry.createdAt)}
          {entry.createdBy ? ` by ${entry.createdBy}` : ""}
        </dd>
        {entry.withdrawnAt ? (
          <>
            <dt>Withdrawn</dt>
            <dd>{formatDateTime(entry.withdrawnAt)}</dd>
          </>
        ) : null}
        <dt>Jobs</dt>
        <dd data-testid="software-counts">
          <Link href={counts.installed}>{entry.counts.installed} installed</Link> · <Link href={counts.inProgress}>{entry.counts.inProgress} in progress</Link> ·{" "}
          <Link href={counts.failed}>{entry.counts.failed} failed</Link>
        </dd>
      </dl>
      {canEdit ? (
        <>
          <h2>Edit</h2>
          <EditSoftwareForm
            id={entry.id}
            name={entry.name}
            version={entry.version}
            dmeClient={entry.kind === "DME_CLIENT"}
            defaultBuild={entry.defaultBuild}
            testBuild={entry.testBuild}
            withdrawn={entry.withdrawnAt !== null}
            instructions={entry.instructions}
          />
        </>
      ) : null}
    </>
  );
}

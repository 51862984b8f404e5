import Link from "next/link";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { DataTableToolbar, type Facet } from "@/components/data-table/data-table-toolbar";
import { JobListTable } from "@/components/jobs/job-list-table";
import { IssuesBox } from "@/components/ui/issues-box";
import { requireActor } from "@/lib/auth/session";
import { listJobFacets, listJobsPage } from "@/lib/installation-jobs/list-jobs";
import { DEFAULT_JOB_LIST, JOB_SORTS, JOBS_PATH, hasJobFilters, jobListHref, jobListQuery, jobSortHref, parseJobListParams, type JobListParams } from "@/lib/installation-jobs/list-jobs-params";
import { INSTALL_METHODS, JOB_STATE_LABELS, JOB_STATES, JOB_STATUSES, methodLabel, statusLabel } from "@/lib/installation-jobs/status-model";

export const dynamic = "force-dynamic";
export const metadata = { title: "Jobs" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function JobsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireActor({ job: ["read"] });
  const parsed = parseJobListParams(await searchParams);
  if (!parsed.ok) {
    return (
      <>
        <h1>Jobs</h1>
        <IssuesBox title="This list address cannot be shown" issues={parsed.issues} resetHref={JOBS_PATH} resetText="Show all jobs" />
      </>
    );
  }
  const params = parsed.value;
  const [page, facets] = await Promise.all([listJobsPage(params), listJobFacets()]);

  const filtered = hasJobFilters(params);
  const unfiltered: JobListParams = { ...DEFAULT_JOB_LIST, sort: params.sort, dir: params.dir, limit: params.limit };
  const toolbarFacets: Facet[] = [
    { name: "software", title: "Software", options: facets.software.map((s) => ({ value: String(s.id), label: `${s.name} ${s.version}` })), selected: params.software.map(String) },
    { name: "state", title: "State", options: JOB_STATES.map((v) => ({ value: v, label: JOB_STATE_LABELS[v] })), selected: params.state },
    { name: "status", title: "Status", options: JOB_STATUSES.map((s) => ({ value: statusLabel(s), label: statusLabel(s) })), selected: params.status.map(statusLabel) },
    { name: "method", title: "Method", options: INSTALL_METHODS.map((m) => ({ value: m, label: methodLabel(m) })), selected: params.method },
  ];
  // The batch has no control of its own (it comes from the Installation status view): it stays
  // across filter changes until "Clear filters".
  const keep = [...jobListQuery({ ...unfiltered, batch: params.batch }).entries()];

  return (
    <>
      <h1>Jobs</h1>
      {params.batch !== null ? (
        <p>
          Jobs of <Link href={`/batches/${params.batch}`}>install batch {params.batch}</Link> ·{" "}
          <Link href={jobListHref(params, { batch: null, cursor: null })}>all batches</Link>
        </p>
      ) : null}
      <DataTableToolbar
        action={JOBS_PATH}
        search={{ name: "device", label: "Device UUID", placeholder: "Device UUID (X-Device-UUID)", value: params.device }}
        facets={toolbarFacets}
        keep={keep}
        clearHref={filtered ? jobListHref(unfiltered) : null}
      />
      <JobListTable
        rows={page.rows}
        sorting={{ id: params.sort, desc: params.dir === "desc" }}
        sortHrefs={Object.fromEntries(JOB_SORTS.map((s) => [s, jobSortHref(params, s)]))}
        emptyText={
          filtered ? (
            <>
              No jobs match these filters. <Link href={jobListHref(unfiltered)}>Clear filters</Link>
            </>
          ) : params.cursor ? (
            <>
              No more jobs. <Link href={jobListHref(params, { cursor: null })}>Back to the first page</Link>
            </>
          ) : (
            "No installation jobs yet. Install software on devices and their jobs appear here."
          )
        }
      />
      <DataTablePagination
        summary={`${page.rows.length.toLocaleString("en-US")} ${page.rows.length === 1 ? "job" : "jobs"} on this page`}
        firstHref={params.cursor && page.previous ? jobListHref(params, { cursor: null }) : null}
        previousHref={page.previous ? jobListHref(params, { cursor: page.previous }) : null}
        nextHref={page.next ? jobListHref(params, { cursor: page.next }) : null}
      />
    </>
  );
}

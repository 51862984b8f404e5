"use client";
import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { formatBytes, formatDateTime } from "@/components/format";
import type { JobStateName } from "@/lib/installation-jobs/status-model";
import type { SoftwareEntry } from "@/lib/software/queries";

/** An entry with the links of its counts (list-jobs-params.ts softwareCountHrefs, made on the server). */
export type SoftwareRow = SoftwareEntry & { countHrefs: { [S in JobStateName]: string } };

const helper = columnHelperFor<SoftwareRow>();

const STATE_WORDS: { [S in JobStateName]: string } = { installed: "installed", inProgress: "in progress", failed: "failed" };

/** A count that links to the jobs it counts, named for screen readers ("3 failed jobs of Scanner 3.1"). */
function countColumn(state: JobStateName, header: string) {
  return helper.accessor((e) => e.counts[state], {
    id: state,
    header,
    sortFn: "basic",
    meta: { className: "numeric" },
    cell: (info) => {
      const e = info.row.original;
      const n = info.getValue();
      return (
        <Link href={e.countHrefs[state]} className={state === "failed" && n > 0 ? "status-0" : undefined} aria-label={`${n} ${STATE_WORDS[state]} ${n === 1 ? "job" : "jobs"} of ${e.name} ${e.version}`}>
          {n}
        </Link>
      );
    },
  });
}

export const softwareColumns = helper.columns([
  helper.accessor((e) => `${e.name} ${e.version}`, {
    id: "name",
    header: "Software",
    sortFn: "alphanumeric",
    cell: (info) => (
      <>
        <Link href={`/software/${info.row.original.id}`}>{info.getValue()}</Link>
        {info.row.original.defaultBuild ? <span className="badge badge-default">Default build</span> : null}
        {info.row.original.testBuild ? <span className="badge badge-test">Test build</span> : null}
        {info.row.original.withdrawnAt ? <span className="badge badge-muted">Withdrawn</span> : null}
      </>
    ),
  }),
  helper.accessor("packageId", { header: "Package ID", enableSorting: false, cell: (info) => <span className="mono">{info.getValue()}</span> }),
  helper.accessor("fileSize", { header: "Size", sortFn: "basic", cell: (info) => formatBytes(info.getValue()) }),
  countColumn("installed", "Installed"),
  countColumn("inProgress", "In progress"),
  countColumn("failed", "Failed"),
  helper.accessor("createdAt", { header: "Added", sortFn: "alphanumeric", cell: (info) => formatDateTime(info.getValue()) }),
]);

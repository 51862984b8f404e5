"use client";
import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { formatBytes, formatDateTime } from "@/components/format";
import type { SoftwareEntry } from "@/lib/software/queries";

const helper = columnHelperFor<SoftwareEntry>();

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
  helper.accessor((e) => e.counts.installed, { id: "installed", header: "Installed", sortFn: "basic" }),
  helper.accessor((e) => e.counts.inProgress, { id: "inProgress", header: "In progress", sortFn: "basic" }),
  helper.accessor((e) => e.counts.failed, {
    id: "failed",
    header: "Failed",
    sortFn: "basic",
    cell: (info) => <span className={info.getValue() > 0 ? "status-0" : undefined}>{info.getValue()}</span>,
  }),
  helper.accessor("createdAt", { header: "Added", sortFn: "alphanumeric", cell: (info) => formatDateTime(info.getValue()) }),
]);

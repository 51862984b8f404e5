import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import type { JobRow } from "@/lib/installation-jobs/queries";
import { methodLabel, softwareKindLabel, statusLabel, statusPriority } from "@/lib/installation-jobs/status-model";

const helper = columnHelperFor<JobRow>();

export const jobColumns = helper.columns([
  helper.accessor((row) => `${row.softwareName} ${row.softwareVersion}`, {
    id: "software",
    header: "Software",
    sortFn: "alphanumeric",
    cell: (info) => (
      <span>
        <Link href={`/jobs/${info.row.original.id}`}>{info.getValue()}</Link>
        <small className="muted"> {softwareKindLabel(info.row.original.softwareKind)}</small>
      </span>
    ),
  }),
  helper.accessor("method", {
    header: "Method",
    sortFn: "alphanumeric",
    cell: (info) => {
      const { method, fallbackMethod } = info.row.original;
      return fallbackMethod ? `${methodLabel(method)} → ${methodLabel(fallbackMethod)} (fallback)` : methodLabel(method);
    },
  }),
  helper.accessor("status", {
    header: "Status",
    // Priority order, never alphabetical: ties keep the server's order (most recent change first).
    sortFn: (a, b) => statusPriority(a.original.status) - statusPriority(b.original.status),
    sortDescFirst: false,
    cell: (info) => (
      <span className={`status status-${statusPriority(info.getValue())}`} data-status={info.getValue()}>
        {statusLabel(info.getValue())}
      </span>
    ),
  }),
  helper.accessor("lastReturnCode", { header: "Return code", enableSorting: false, cell: (info) => info.getValue() ?? "—" }),
  helper.accessor("attempts", { header: "Attempt", enableSorting: false }),
  helper.accessor((row) => new Date(row.updatedAt), {
    id: "updatedAt",
    header: "Last changed",
    sortFn: "datetime",
    cell: (info) => formatDateTime(info.row.original.updatedAt),
  }),
]);

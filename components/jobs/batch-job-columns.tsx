import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import type { BatchView } from "@/lib/installation-jobs/batches";
import { statusLabel, statusPriority } from "@/lib/installation-jobs/status-model";

type BatchJob = BatchView["jobs"][number];
const helper = columnHelperFor<BatchJob>();

/** The Installation status view's jobs, in status priority order (the server's). */
export const batchJobColumns = helper.columns([
  helper.accessor("deviceName", {
    header: "Device",
    meta: { className: "primary" },
    cell: (info) => <Link href={`/devices/${encodeURIComponent(info.row.original.deviceUuid)}`}>{info.getValue()}</Link>,
  }),
  helper.accessor("status", {
    header: "Status",
    cell: (info) => (
      <>
        <Link href={`/jobs/${info.row.original.id}`} className={`status status-${statusPriority(info.getValue())}`} data-status={info.getValue()}>
          {statusLabel(info.getValue())}
        </Link>
        {info.row.original.cancelled ? <span className="badge badge-muted">Cancelled</span> : null}
      </>
    ),
  }),
  helper.accessor("attempts", { header: "Attempt", meta: { className: "numeric" } }),
  helper.accessor("updatedAt", { header: "Last changed", meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.getValue()) }),
]);

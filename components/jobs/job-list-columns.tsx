import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { DeviceNameCell } from "@/components/devices/device-name-cell";
import { formatDateTime } from "@/components/format";
import type { JobListRow } from "@/lib/installation-jobs/list-jobs";
import { methodLabel, statusLabel, statusPriority } from "@/lib/installation-jobs/status-model";

const helper = columnHelperFor<JobListRow>();

/**
 * The jobs list's columns. Ids of the sortable columns are the list's sort names
 * (list-jobs-params.ts); the rows arrive sorted, so no column sorts here.
 */
export const jobListColumns = helper.columns([
  helper.accessor("id", {
    header: "Job",
    meta: { className: "primary nowrap" },
    cell: (info) => <Link href={`/jobs/${info.getValue()}`}>Job {info.getValue()}</Link>,
  }),
  helper.accessor("deviceName", {
    header: "Device",
    cell: (info) => <DeviceNameCell name={info.row.original.deviceName} deviceUuid={info.row.original.deviceUuid} />,
  }),
  helper.accessor((j) => `${j.softwareName} ${j.softwareVersion}`, {
    id: "software",
    header: "Software",
    cell: (info) => <Link href={`/software/${info.row.original.softwareId}`}>{info.getValue()}</Link>,
  }),
  helper.accessor("method", {
    header: "Method",
    cell: (info) => {
      const { method, fallbackMethod } = info.row.original;
      return fallbackMethod ? `${methodLabel(method)} → ${methodLabel(fallbackMethod)}` : methodLabel(method);
    },
  }),
  helper.accessor("status", {
    header: "Status",
    cell: (info) => (
      <>
        <span className={`status status-${statusPriority(info.getValue())}`} data-status={info.getValue()}>
          {statusLabel(info.getValue())}
        </span>
        {info.row.original.cancelledAt ? <span className="badge badge-muted">Cancelled</span> : null}
      </>
    ),
  }),
  helper.accessor("attempts", { header: "Attempt", meta: { className: "numeric" } }),
  helper.accessor("createdAt", { id: "created", header: "Created", meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.getValue()) }),
  helper.accessor("updatedAt", { id: "updated", header: "Last changed", meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.getValue()) }),
]);

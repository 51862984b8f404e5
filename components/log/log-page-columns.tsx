import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { DeviceNameCell } from "@/components/devices/device-name-cell";
import type { LogListRow } from "@/lib/installation-log/list-log";
import { deviceRawReportHref, logColumns } from "./log-columns";

const helper = columnHelperFor<LogListRow>();

const [received, ...rest] = logColumns<LogListRow>((row) => deviceRawReportHref(row.deviceUuid)(row));

/**
 * The log page's columns: every log table's (log-columns.tsx), with the row's device and job
 * after the receive time, since the page holds the events of every device. Each links to its
 * page; a report's raw XML is at its own device's message page.
 */
export const logPageColumns = [
  received!,
  helper.accessor("deviceName", {
    id: "device",
    header: "Device",
    cell: (info) => <DeviceNameCell name={info.row.original.deviceName} deviceUuid={info.row.original.deviceUuid} />,
  }),
  helper.accessor("jobId", { id: "job", header: "Job", meta: { className: "nowrap" }, cell: (info) => (info.getValue() === null ? <span className="muted">—</span> : <Link href={`/jobs/${info.getValue()}`}>Job {info.getValue()}</Link>) }),
  ...rest,
];

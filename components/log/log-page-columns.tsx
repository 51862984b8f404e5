import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import type { LogListRow } from "@/lib/installation-log/list-log";
import { deviceRawReportHref, logColumns } from "./log-columns";

const helper = columnHelperFor<LogListRow>();

/**
 * The log page's columns: every log table's (log-columns.tsx), with the row's device and job
 * after the receive time, since the page holds the events of every device. Each links to its
 * page; a report's raw XML is at its own device's message page.
 */
export function logPageColumns() {
  const [received, ...rest] = logColumns<LogListRow>((row) => deviceRawReportHref(row.deviceUuid)(row));
  return [
    received!,
    helper.accessor("deviceName", {
      id: "device",
      header: "Device",
      cell: (info) => {
        const r = info.row.original;
        return (
          <div className="device-name">
            <Link href={`/devices/${encodeURIComponent(r.deviceUuid)}`}>{r.deviceName}</Link>
            <span className="row-meta mono" title={r.deviceUuid}>
              {r.deviceUuid}
            </span>
          </div>
        );
      },
    }),
    helper.accessor("jobId", { id: "job", header: "Job", meta: { className: "nowrap" }, cell: (info) => (info.getValue() === null ? <span className="muted">—</span> : <Link href={`/jobs/${info.getValue()}`}>Job {info.getValue()}</Link>) }),
    ...rest,
  ];
}

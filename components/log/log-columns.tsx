import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import type { LogListRow } from "@/lib/installation-log/list-log";
import { statusChange } from "./log-text";

const helper = columnHelperFor<LogListRow>();
const none = <span className="muted">—</span>;

/**
 * The log page's columns. The rows arrive newest first from the server (by id, or by receive
 * time with a time range), so no column sorts here. Each row links to its device and its job;
 * a report's raw XML is a link, fetched when asked for.
 */
export function logColumns() {
  return helper.columns([
    helper.accessor("receivedAt", {
      id: "receivedAt",
      header: "Received",
      meta: { className: "nowrap" },
      cell: (info) => <time dateTime={info.getValue().toISOString()}>{formatDateTime(info.getValue())}</time>,
    }),
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
    // Multi-part cells are one block, so a stacked row (narrow screens) reads "label: value".
    helper.accessor("softwareName", {
      id: "software",
      header: "Software / job",
      cell: (info) => {
        const r = info.row.original;
        return (
          <div>
            {r.softwareName ?? none}
            {r.packageId && <small className="muted mono"> {r.packageId}</small>}
            {r.jobId !== null && (
              <div>
                <Link href={`/jobs/${r.jobId}`}>Job {r.jobId}</Link>
              </div>
            )}
          </div>
        );
      },
    }),
    helper.accessor("event", {
      id: "event",
      header: "Event",
      meta: { className: "primary" },
      cell: (info) => {
        const r = info.row.original;
        return (
          <div>
            {r.messageId && <span className="mono">{r.messageId} </span>}
            {r.event}
            {r.parameters.map((p, i) => (
              <div key={i} className="muted">
                {p.name}: <span className="mono">{p.value}</span>
              </div>
            ))}
            {r.messageRowId && (
              <div>
                <a href={`/devices/${encodeURIComponent(r.deviceUuid)}/messages/${r.messageRowId}`}>Raw report</a>
              </div>
            )}
          </div>
        );
      },
    }),
    helper.accessor((r) => statusChange(r), { id: "status", header: "Status" }),
    helper.accessor("deviceTimestamp", { id: "deviceTime", header: "Device time", meta: { className: "nowrap" }, cell: (info) => info.getValue() ?? none }),
  ]);
}

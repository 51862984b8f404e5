/**
 * The installation log's columns, for every table of log rows: a device's log, a job's history,
 * and the /log page (whose rows name their device: it passes its own `rawReportHref` and may put
 * a device column in front). Rows are LogRow or a LogRow with more fields.
 */
import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import type { LogRow } from "@/lib/installation-log/queries";
import { statusLabel } from "@/lib/installation-jobs/status-model";

/** "Waiting for download → Installing software", "… (unchanged)", or the status a row created. */
export function statusChange(row: Pick<LogRow, "statusBefore" | "statusAfter">): string {
  if (row.statusAfter === null) return "—";
  if (row.statusBefore === null) return statusLabel(row.statusAfter);
  if (row.statusBefore === row.statusAfter) return `${statusLabel(row.statusAfter)} (unchanged)`;
  return `${statusLabel(row.statusBefore)} → ${statusLabel(row.statusAfter)}`;
}

/** The raw report of a row of one device's log, at that device's message page. */
export function deviceRawReportHref(deviceUuid: string) {
  return (row: Pick<LogRow, "messageRowId">) => (row.messageRowId ? `/devices/${encodeURIComponent(deviceUuid)}/messages/${row.messageRowId}` : null);
}

/**
 * The columns, in their order. `rawReportHref` links a row's raw report: it is fetched when
 * asked for, never embedded (one 107 KB report with 200 messages made a 47.6 MB page).
 */
export function logColumns<R extends LogRow>(rawReportHref: (row: R) => string | null) {
  const helper = columnHelperFor<R>();
  return helper.columns([
    helper.accessor((r) => r.receivedAt, { id: "receivedAt", header: "Received", meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.row.original.receivedAt) }),
    helper.accessor((r) => r.deviceTimestamp, { id: "deviceTimestamp", header: "Device time", cell: (info) => info.getValue() ?? "—" }),
    helper.accessor((r) => r.softwareName, {
      id: "software",
      header: "Software / package",
      cell: (info) => (
        <>
          {info.getValue() ?? "—"}
          {info.row.original.packageId ? <small className="muted mono"> {info.row.original.packageId}</small> : null}
        </>
      ),
    }),
    helper.accessor((r) => r.event, {
      id: "message",
      header: "Message",
      cell: (info) => (
        <>
          {info.row.original.messageId ? <span className="mono">{info.row.original.messageId} </span> : null}
          {info.getValue()}
        </>
      ),
    }),
    helper.accessor((r) => r.parameters, {
      id: "parameters",
      header: "Parameters",
      cell: (info) =>
        info.getValue().length === 0
          ? "—"
          : info.getValue().map((p, i) => (
              <div key={i}>
                {p.name}: <span className="mono">{p.value}</span>
              </div>
            )),
    }),
    helper.accessor((r) => statusChange(r), {
      id: "status",
      header: "Status",
      cell: (info) => {
        const href = rawReportHref(info.row.original);
        return (
          <>
            {info.getValue()}
            {href ? (
              <div>
                <a href={href}>Raw report</a>
              </div>
            ) : null}
          </>
        );
      },
    }),
  ]);
}

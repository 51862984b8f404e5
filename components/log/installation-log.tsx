import { formatDateTime } from "@/components/format";
import type { LogRow } from "@/lib/installation-log/queries";
import { statusLabel } from "@/lib/installation-jobs/status-model";
import { EmptyRow } from "@/components/data-table/empty-row";

function statusChange(row: LogRow): string {
  if (row.statusAfter === null) return "—";
  if (row.statusBefore === null) return statusLabel(row.statusAfter);
  if (row.statusBefore === row.statusAfter) return `${statusLabel(row.statusAfter)} (unchanged)`;
  return `${statusLabel(row.statusBefore)} → ${statusLabel(row.statusAfter)}`;
}

/**
 * The device's installation log, newest first. A report's raw XML is a link, fetched when
 * asked for: embedding it made one 107 KB report with 200 messages a 47.6 MB page.
 */
export function InstallationLog({ rows, deviceUuid, caption = "Installation log" }: { rows: LogRow[]; deviceUuid: string; caption?: string }) {
  return (
    <table className="data-table" data-testid="installation-log">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Received</th>
          <th scope="col">Device time</th>
          <th scope="col">Software / package</th>
          <th scope="col">Message</th>
          <th scope="col">Parameters</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <EmptyRow columns={6} text="No events yet." />
        ) : (
          rows.map((row) => (
            <tr key={row.id} data-message-id={row.messageId ?? undefined}>
              <td>{formatDateTime(row.receivedAt)}</td>
              <td>{row.deviceTimestamp ?? "—"}</td>
              <td>
                {row.softwareName ?? "—"}
                {row.packageId ? <small className="muted mono"> {row.packageId}</small> : null}
              </td>
              <td>
                {row.messageId ? <span className="mono">{row.messageId} </span> : null}
                {row.event}
              </td>
              <td>
                {row.parameters.length === 0
                  ? "—"
                  : row.parameters.map((p, i) => (
                      <div key={i}>
                        {p.name}: <span className="mono">{p.value}</span>
                      </div>
                    ))}
              </td>
              <td>
                {statusChange(row)}
                {row.messageRowId ? (
                  <div>
                    <a href={`/devices/${encodeURIComponent(deviceUuid)}/messages/${row.messageRowId}`}>Raw report</a>
                  </div>
                ) : null}
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

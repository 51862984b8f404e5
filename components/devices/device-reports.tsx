import { formatDateTime } from "@/components/format";
import { EmptyRow } from "@/components/data-table/empty-row";
import type { CollectedFileRow, LatestInventories } from "@/lib/devices/queries";

/** Rows of a large software inventory shown on the page; the raw report has them all. */
const SOFTWARE_ROWS = 100;

function rawLink(deviceUuid: string, messageRowId: string | null) {
  return messageRowId ? <a href={`/devices/${encodeURIComponent(deviceUuid)}/messages/${messageRowId}`}>Raw report</a> : null;
}

/** The latest machine and software inventories and the collected files of a device. */
export function DeviceReports({ deviceUuid, inventories, files }: { deviceUuid: string; inventories: LatestInventories; files: CollectedFileRow[] }) {
  const { machine, software } = inventories;
  const swFiles = software?.data.files ?? [];
  return (
    <section aria-label="Reports" className="reports">
      <table className="data-table" data-testid="machine-inventory">
        <caption>
          Machine inventory{" "}
          <small className="muted">{machine ? <>received {formatDateTime(machine.receivedAt)} · {rawLink(deviceUuid, machine.messageRowId)}</> : "none received yet"}</small>
        </caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Properties</th>
          </tr>
        </thead>
        <tbody>
          {!machine || machine.data.items.length === 0 ? (
            <EmptyRow columns={2} text="The device has not sent a machine inventory." />
          ) : (
            machine.data.items.map((item, i) => (
              <tr key={i}>
                <td>{item.name}</td>
                <td>
                  {item.properties.map((p, k) => (
                    <span key={k} className="prop">
                      {p.name}: <span className="mono">{p.value}</span>
                    </span>
                  ))}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>

      <table className="data-table" data-testid="software-inventory">
        <caption>
          Software inventory{" "}
          <small className="muted">
            {software ? <>received {formatDateTime(software.receivedAt)} · {swFiles.length} files · {rawLink(deviceUuid, software.messageRowId)}</> : "none received yet"}
          </small>
        </caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Version</th>
            <th scope="col">Size</th>
            <th scope="col">Modified</th>
          </tr>
        </thead>
        <tbody>
          {swFiles.length === 0 ? (
            <EmptyRow columns={4} text="The device has not sent a software inventory." />
          ) : (
            swFiles.slice(0, SOFTWARE_ROWS).map((f, i) => (
              <tr key={i}>
                <td className="mono">{f.path}</td>
                <td>{f.version ?? "—"}</td>
                <td>{f.size === null ? "—" : f.size.toLocaleString("en-US")}</td>
                <td>{f.lastModified ?? "—"}</td>
              </tr>
            ))
          )}
          {swFiles.length > SOFTWARE_ROWS ? <EmptyRow columns={4} text={`… and ${swFiles.length - SOFTWARE_ROWS} more in the raw report.`} /> : null}
        </tbody>
      </table>

      <table className="data-table" data-testid="collected-files">
        <caption>Collected files</caption>
        <thead>
          <tr>
            <th scope="col">Path on the device</th>
            <th scope="col">Size</th>
            <th scope="col">Received</th>
            <th scope="col">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {files.length === 0 ? (
            <EmptyRow columns={4} text="No files collected from this device." />
          ) : (
            files.map((f) => (
              <tr key={f.id}>
                <td className="mono">
                  <a href={`/devices/${encodeURIComponent(deviceUuid)}/files/${f.id}`}>{f.path}</a>
                </td>
                <td>{f.size.toLocaleString("en-US")}</td>
                <td>{formatDateTime(f.receivedAt)}</td>
                <td className="mono">{f.sha256.slice(0, 16)}…</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

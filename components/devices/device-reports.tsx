import { formatDateTime } from "@/components/format";
import type { CollectedFileRow, LatestInventories } from "@/lib/devices/queries";
import { CollectedFilesTable, MachineInventoryTable, SoftwareInventoryTable } from "./device-report-tables";

/** Rows of a large software inventory shown on the page (and sent to the browser); the raw report has them all. */
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
      <MachineInventoryTable
        caption={
          <>
            Machine inventory{" "}
            <small className="muted">{machine ? <>received {formatDateTime(machine.receivedAt)} · {rawLink(deviceUuid, machine.messageRowId)}</> : "none received yet"}</small>
          </>
        }
        items={machine?.data.items ?? []}
      />
      <SoftwareInventoryTable
        caption={
          <>
            Software inventory{" "}
            <small className="muted">
              {software ? <>received {formatDateTime(software.receivedAt)} · {swFiles.length} files · {rawLink(deviceUuid, software.messageRowId)}</> : "none received yet"}
            </small>
          </>
        }
        files={swFiles.slice(0, SOFTWARE_ROWS)}
        footer={swFiles.length > SOFTWARE_ROWS ? `… and ${swFiles.length - SOFTWARE_ROWS} more in the raw report.` : undefined}
      />
      <CollectedFilesTable deviceUuid={deviceUuid} files={files} />
    </section>
  );
}

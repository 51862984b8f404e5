import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import type { CollectedFileRow } from "@/lib/devices/queries";
import type { InventoryFile, MachineInventory } from "@/lib/device-protocol/inventory";

type MachineItem = MachineInventory["items"][number];
const machine = columnHelperFor<MachineItem>();
const software = columnHelperFor<InventoryFile>();
const files = columnHelperFor<CollectedFileRow>();

/** The latest machine inventory's items and their properties. */
export const machineItemColumns = machine.columns([
  machine.accessor("name", { header: "Item" }),
  machine.accessor("properties", {
    header: "Properties",
    cell: (info) =>
      info.getValue().map((p, k) => (
        <span key={k} className="prop">
          {p.name}: <span className="mono">{p.value}</span>
        </span>
      )),
  }),
]);

/** The latest software inventory's files. */
export const softwareFileColumns = software.columns([
  software.accessor("path", { header: "File", cell: (info) => <span className="mono">{info.getValue()}</span> }),
  software.accessor("version", { header: "Version", cell: (info) => info.getValue() ?? "—" }),
  software.accessor("size", { header: "Size", meta: { className: "numeric" }, cell: (info) => (info.getValue() === null ? "—" : info.getValue()!.toLocaleString("en-US")) }),
  software.accessor("lastModified", { header: "Modified", cell: (info) => info.getValue() ?? "—" }),
]);

/** Files collected from a device, each a download from the device's page. */
export function collectedFileColumns(deviceUuid: string) {
  return files.columns([
    files.accessor("path", {
      header: "Path on the device",
      cell: (info) => (
        <a href={`/devices/${encodeURIComponent(deviceUuid)}/files/${info.row.original.id}`} className="mono">
          {info.getValue()}
        </a>
      ),
    }),
    files.accessor("size", { header: "Size", meta: { className: "numeric" }, cell: (info) => info.getValue().toLocaleString("en-US") }),
    files.accessor("receivedAt", { header: "Received", meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.getValue()) }),
    files.accessor("sha256", { header: "SHA-256", cell: (info) => <span className="mono">{info.getValue().slice(0, 16)}…</span> }),
  ]);
}

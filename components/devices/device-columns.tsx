import { columnHelperFor } from "@/components/data-table/features";
import { DeviceNameCell } from "@/components/devices/device-name-cell";
import type { DeviceListRow } from "@/lib/devices/list-devices";
import { LastContact } from "./last-contact";

const helper = columnHelperFor<DeviceListRow>();
const count = (n: number, attention = false) => <span className={attention && n > 0 ? "count status-0" : n > 0 ? "count" : "count muted"}>{n}</span>;

/**
 * The devices list's columns. Ids of sortable columns are the list's sort names
 * (list-devices-params.ts); the rows arrive sorted, so no column sorts here. `now` is the
 * server's render time, for "4 min ago".
 */
export function deviceColumns(now: string) {
  return helper.columns([
    helper.accessor("name", {
      id: "name",
      header: "Name",
      meta: { className: "primary" },
      cell: (info) => <DeviceNameCell name={info.row.original.name} deviceUuid={info.row.original.deviceUuid} phoneNumber={info.row.original.phoneNumber} />,
    }),
    helper.accessor("platform", { id: "platform", header: "Platform", meta: { className: "nowrap" }, cell: (info) => info.getValue() ?? <span className="muted">—</span> }),
    helper.accessor("clientVersion", { id: "clientVersion", header: "Client version", meta: { className: "nowrap" }, cell: (info) => info.getValue() ?? <span className="muted">—</span> }),
    helper.accessor("lastContactAt", {
      id: "lastContact",
      header: "Last contact",
      cell: (info) => <LastContact {...info.row.original} now={now} />,
    }),
    helper.accessor("installingCount", { header: "Installing", cell: (info) => count(info.getValue()), meta: { className: "numeric" } }),
    helper.accessor("installedCount", { header: "Installed", cell: (info) => count(info.getValue()), meta: { className: "numeric" } }),
    helper.accessor("attentionCount", { header: "Needs attention", cell: (info) => count(info.getValue(), true), meta: { className: "numeric" } }),
  ]);
}

"use client";
/** The device page's report tables; the rows' order is the device's (or newest first, for files). */
import { useMemo, type ReactNode } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { CollectedFileRow } from "@/lib/devices/queries";
import type { InventoryFile, MachineInventory } from "@/lib/device-protocol/inventory";
import { collectedFileColumns, machineItemColumns, softwareFileColumns } from "./device-report-columns";

export function MachineInventoryTable({ caption, items }: { caption: ReactNode; items: MachineInventory["items"] }) {
  return <DataTable caption={caption} testId="machine-inventory" columns={machineItemColumns} data={items} sortable={false} emptyText="The device has not sent a machine inventory." />;
}

export function SoftwareInventoryTable({ caption, files, footer }: { caption: ReactNode; files: InventoryFile[]; footer?: ReactNode }) {
  return (
    <DataTable caption={caption} testId="software-inventory" columns={softwareFileColumns} data={files} sortable={false} footer={footer} emptyText="The device has not sent a software inventory." />
  );
}

export function CollectedFilesTable({ deviceUuid, files }: { deviceUuid: string; files: CollectedFileRow[] }) {
  const columns = useMemo(() => collectedFileColumns(deviceUuid), [deviceUuid]);
  return <DataTable caption="Collected files" testId="collected-files" columns={columns} data={files} getRowId={(f) => f.id} sortable={false} emptyText="No files collected from this device." />;
}

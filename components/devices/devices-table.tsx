"use client";
import { useMemo, type ReactNode } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { DeviceListRow } from "@/lib/devices/list-devices";
import { DeviceBulkActions } from "./device-bulk-actions";
import { deviceColumns } from "./device-columns";

type Props = {
  rows: DeviceListRow[];
  /** The server's render time (ISO), for relative times that hydrate as rendered. */
  now: string;
  sorting: { id: string; desc: boolean };
  sortHrefs: Record<string, string>;
  /** How many devices match, as shown ("1,000+"); null when not known. */
  matching: string | null;
  /** The list's address without its page position, for "all matching" bulk actions. */
  filterQuery: string;
  emptyText: ReactNode;
};

/** One page of the devices list, sorted and paged by the server. */
export function DevicesTable(props: Props) {
  const columns = useMemo(() => deviceColumns(props.now), [props.now]);
  return (
    <DataTable
      caption="Managed devices"
      testId="devices"
      stackOnNarrow
      columns={columns}
      data={props.rows}
      getRowId={(row) => row.deviceUuid}
      server={{ sorting: props.sorting, sortHrefs: props.sortHrefs }}
      selection={{
        rowLabel: (row) => `Select ${row.name}`,
        noun: "devices",
        matching: props.matching,
        renderActions: (selection) => <DeviceBulkActions selection={selection} filterQuery={props.filterQuery} />,
      }}
      emptyText={props.emptyText}
    />
  );
}

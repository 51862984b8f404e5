"use client";
import { useMemo, type ReactNode } from "react";
import { DataTable, type DataTableSelection } from "@/components/data-table/data-table";
import type { DeviceListRow } from "@/lib/devices/list-devices";
import type { FormSelection } from "@/lib/devices/selection-form";
import { DeviceBulkActions, type DeviceBulkOptions } from "./device-bulk-actions";
import { deviceColumns } from "./device-columns";
import { InstallDialog, type SoftwareChoice } from "@/components/install/install-window";

/**
 * What can be done with selected devices: the devices page's bulk actions (what the user's
 * role allows), the install wizard's "install on these", or nothing (Read-only: no checkboxes).
 */
export type DeviceTableActions = ({ kind: "devices" } & DeviceBulkOptions) | { kind: "install"; software: SoftwareChoice } | { kind: "none" };

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
  actions: DeviceTableActions;
  emptyText: ReactNode;
};

/** The selection as the server's actions take it: UUIDs picked here, or the list's filter. */
export function formSelection(selection: DataTableSelection<DeviceListRow>, filterQuery: string): { selection: FormSelection; summary: string } {
  if (selection.kind === "allMatching") return { selection: { kind: "filter", filter: filterQuery }, summary: `every matching device (${selection.label})` };
  const n = selection.rows.length;
  return { selection: { kind: "uuids", uuids: selection.rows.map((r) => r.deviceUuid) }, summary: n === 1 ? selection.rows[0]!.name : `${n} devices` };
}

/** One page of a devices list, sorted and paged by the server. */
export function DevicesTable(props: Props) {
  const columns = useMemo(() => deviceColumns(props.now), [props.now]);
  const actions = props.actions;
  return (
    <DataTable
      caption="Managed devices"
      testId="devices"
      columns={columns}
      data={props.rows}
      getRowId={(row) => row.deviceUuid}
      server={{ sorting: props.sorting, sortHrefs: props.sortHrefs }}
      selection={
        actions.kind === "none"
          ? undefined
          : {
              rowLabel: (row) => `Select ${row.name}`,
              noun: "devices",
              matching: props.matching,
              renderActions: (selection) => {
                const chosen = formSelection(selection, props.filterQuery);
                return actions.kind === "install" ? (
                  <InstallDialog buttonText={`Install on ${chosen.summary}…`} software={{ fixed: actions.software }} {...chosen} />
                ) : (
                  <DeviceBulkActions options={actions} {...chosen} />
                );
              },
            }
      }
      emptyText={props.emptyText}
    />
  );
}

"use client";
import type { DataTableSelection } from "@/components/data-table/data-table";
import type { DeviceListRow } from "@/lib/devices/list-devices";

/**
 * The bulk-action bar's slot for the devices list. The actions (install software, cancel
 * unfinished jobs) come with the install issue; they get the selection as it is here: the
 * devices picked on this page, or every device matching `filterQuery` (the list's address
 * without its page position).
 */
export function DeviceBulkActions({ selection }: { selection: DataTableSelection<DeviceListRow>; filterQuery: string }) {
  const count = selection.kind === "rows" ? String(selection.rows.length) : selection.label;
  return (
    <span className="muted" data-testid="bulk-actions-slot" data-selected={count}>
      Actions for {count} {selection.kind === "rows" && selection.rows.length === 1 ? "device" : "devices"} go here.
    </span>
  );
}

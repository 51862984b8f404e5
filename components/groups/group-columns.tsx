import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import type { GroupMember, GroupRow } from "@/lib/devices/device-groups";
import { RemoveMemberButton } from "./group-forms";

const group = columnHelperFor<GroupRow>();
const member = columnHelperFor<GroupMember>();

/** The groups list, A–Z by name first (the server's order); the headers sort. */
export const groupColumns = group.columns([
  group.accessor("name", { header: "Name", sortFn: "alphanumeric", cell: (info) => <Link href={`/groups/${info.row.original.id}`}>{info.getValue()}</Link> }),
  group.accessor((g) => (g.kind === "STATIC" ? "Static" : "Saved filter"), { id: "kind", header: "Kind", sortFn: "alphanumeric" }),
  group.accessor("memberCount", {
    header: "Devices",
    sortFn: "basic",
    cell: (info) => (info.row.original.kind === "STATIC" ? info.getValue() : <Link href={`/devices?${info.row.original.filter ?? ""}`}>what matches</Link>),
  }),
  group.accessor("createdAt", {
    header: "Created",
    sortFn: "datetime",
    cell: (info) => `${formatDateTime(info.getValue())}${info.row.original.createdBy ? ` by ${info.row.original.createdBy}` : ""}`,
  }),
]);

/** A static group's members, one page by device id; with a Remove button per row for those who may edit. */
export function groupMemberColumns(groupId: number, canEdit: boolean) {
  const columns = member.columns([
    member.accessor("name", { header: "Device", meta: { className: "primary" }, cell: (info) => <Link href={`/devices/${encodeURIComponent(info.row.original.deviceUuid)}`}>{info.getValue()}</Link> }),
    member.accessor("deviceUuid", { header: "UUID", cell: (info) => <span className="mono">{info.getValue()}</span> }),
    member.accessor("platform", { header: "Platform", cell: (info) => info.getValue() ?? "—" }),
    member.accessor("addedAt", { header: "Added", meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.getValue()) }),
  ]);
  if (!canEdit) return columns;
  return [
    ...columns,
    member.display({ id: "actions", header: "Actions", cell: (info) => <RemoveMemberButton groupId={groupId} deviceId={info.row.original.id} label={info.row.original.name} /> }),
  ];
}

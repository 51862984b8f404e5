"use client";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { GroupMember, GroupRow } from "@/lib/devices/device-groups";
import { groupColumns, groupMemberColumns } from "./group-columns";

export function GroupsTable({ groups }: { groups: GroupRow[] }) {
  return <DataTable caption="Groups" testId="groups" columns={groupColumns} data={groups} getRowId={(g) => String(g.id)} emptyText="No groups yet." />;
}

/** One page of members: sorting it here would sort only this page, so the headers do not sort. */
export function GroupMembersTable({ groupId, members, canEdit }: { groupId: number; members: GroupMember[]; canEdit: boolean }) {
  const columns = useMemo(() => groupMemberColumns(groupId, canEdit), [groupId, canEdit]);
  return <DataTable caption="Members" testId="group-members" columns={columns} data={members} getRowId={(m) => String(m.id)} sortable={false} emptyText="No devices in this group." />;
}

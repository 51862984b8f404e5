"use client";
import { DataTable } from "@/components/data-table/data-table";
import { userColumns, type UserRow } from "./user-columns";

export function UsersTable({ users }: { users: UserRow[] }) {
  return (
    <div className="table-scroll">
      <DataTable caption="Console users" testId="users" columns={userColumns} data={users} getRowId={(u) => u.id} initialSorting={[{ id: "email", desc: false }]} emptyText="No users." />
    </div>
  );
}

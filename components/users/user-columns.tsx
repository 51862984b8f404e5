"use client";
import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles-public";
import { UserRowActions } from "./user-row-actions";

export type UserRow = { id: string; email: string; name: string; role: string | null; disabled: boolean; createdAt: string; isYou: boolean };

const helper = columnHelperFor<UserRow>();

export const userColumns = helper.columns([
  helper.accessor("email", {
    header: "Email",
    sortFn: "alphanumeric",
    cell: (info) => (
      <>
        {info.getValue()}
        {info.row.original.isYou ? <small className="muted"> (you)</small> : null}
      </>
    ),
  }),
  helper.accessor("name", { header: "Name", sortFn: "alphanumeric" }),
  helper.accessor((row) => (row.role && row.role in ROLE_LABELS ? ROLE_LABELS[row.role as Role] : "No role"), { id: "role", header: "Role", sortFn: "alphanumeric" }),
  helper.accessor((row) => (row.disabled ? "Disabled" : "Active"), { id: "state", header: "State", sortFn: "alphanumeric" }),
  helper.accessor("createdAt", { header: "Created", sortFn: "alphanumeric", cell: (info) => formatDateTime(info.getValue()) }),
  helper.display({ id: "actions", header: "Actions", cell: (info) => <UserRowActions user={info.row.original} /> }),
]);

"use client";
import { DataTable } from "@/components/data-table/data-table";
import type { AuditRow } from "@/lib/audit/queries";
import { auditColumns } from "./audit-columns";

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <div className="table-scroll">
      <DataTable caption="Audit events, newest first" testId="audit" columns={auditColumns} data={rows} getRowId={(r) => r.id} emptyText="No audit events match." />
    </div>
  );
}

"use client";
import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import { auditActionLabel } from "@/lib/audit/actions";
import type { AuditRow } from "@/lib/audit/queries";

const helper = columnHelperFor<AuditRow>();

function describeDetails(details: unknown): string {
  if (!details || typeof details !== "object" || Object.keys(details).length === 0) return "";
  return Object.entries(details as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("; ");
}

export const auditColumns = helper.columns([
  helper.accessor("at", { header: "When", enableSorting: false, cell: (info) => formatDateTime(info.getValue()) }),
  helper.accessor("userEmail", {
    header: "Who",
    enableSorting: false,
    cell: (info) => info.getValue() ?? (info.row.original.via === "system" ? "DeployDesk (start-up)" : "—"),
  }),
  helper.accessor("via", { header: "Via", enableSorting: false }),
  helper.accessor("ipAddress", { header: "From", enableSorting: false, cell: (info) => <span className="mono">{info.getValue() ?? "—"}</span> }),
  helper.accessor("action", { header: "What", enableSorting: false, cell: (info) => auditActionLabel(info.getValue()) }),
  helper.accessor((row) => (row.targetType ? `${row.targetType} ${row.targetId}` : ""), { id: "target", header: "Target", enableSorting: false }),
  helper.accessor((row) => describeDetails(row.details), { id: "details", header: "Details", enableSorting: false }),
]);

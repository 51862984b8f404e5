"use client";
import Link from "next/link";
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

/** Where a target lives in the console, when it has a page of its own. */
function targetHref(type: string, id: string): string | null {
  const pages: Record<string, (id: string) => string> = {
    device: (id) => `/devices/${encodeURIComponent(id)}`,
    software: (id) => `/software/${encodeURIComponent(id)}`,
    job: (id) => `/jobs/${encodeURIComponent(id)}`,
    batch: (id) => `/batches/${encodeURIComponent(id)}`,
    group: (id) => `/groups/${encodeURIComponent(id)}`,
  };
  return Object.hasOwn(pages, type) ? pages[type]!(id) : null;
}

function Target({ row }: { row: AuditRow }) {
  if (!row.targetType) return null;
  const text = `${row.targetType} ${row.targetName ?? row.targetId ?? ""}`;
  const href = row.targetId ? targetHref(row.targetType, row.targetId) : null;
  return href ? <Link href={href}>{text}</Link> : <>{text}</>;
}

export const auditColumns = helper.columns([
  helper.accessor("at", { header: "When", enableSorting: false, meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.getValue()) }),
  helper.accessor("userEmail", {
    header: "Who",
    enableSorting: false,
    cell: (info) => info.getValue() ?? (info.row.original.via === "system" ? "DeployDesk (start-up)" : "—"),
  }),
  helper.accessor("via", { header: "Via", enableSorting: false }),
  helper.accessor("ipAddress", { header: "From", enableSorting: false, cell: (info) => <span className="mono">{info.getValue() ?? "—"}</span> }),
  helper.accessor("action", { header: "What", enableSorting: false, cell: (info) => auditActionLabel(info.getValue()) }),
  helper.display({ id: "target", header: "Target", cell: (info) => <Target row={info.row.original} /> }),
  helper.accessor((row) => describeDetails(row.details), { id: "details", header: "Details", enableSorting: false, meta: { className: "long-text" } }),
]);

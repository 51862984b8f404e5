"use client";
import type { ReactNode } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { LogListRow } from "@/lib/installation-log/list-log";
import { logPageColumns } from "./log-page-columns";

/** One page of the installation log, newest first, ordered and paged by the server. */
export function LogTable({ rows, caption, emptyText }: { rows: LogListRow[]; caption: string; emptyText: ReactNode }) {
  return (
    <DataTable
      caption={caption}
      testId="log"
      columns={logPageColumns}
      data={rows}
      getRowId={(row) => row.id}
      // Newest first, always; no header re-sorts a page the server read in index order.
      server={{ sorting: { id: "receivedAt", desc: true }, sortHrefs: {} }}
      emptyText={emptyText}
    />
  );
}

"use client";
import { DataTable } from "@/components/data-table/data-table";
import type { JobRow } from "@/lib/installation-jobs/queries";
import { jobColumns } from "./job-columns";

/** One of the two sub-tables of a device page; rows arrive in priority order. */
export function JobsTable({ caption, jobs, emptyText }: { caption: "Installing" | "Installed"; jobs: JobRow[]; emptyText: string }) {
  return (
    <DataTable
      caption={caption}
      testId={`jobs-${caption.toLowerCase()}`}
      columns={jobColumns}
      data={jobs}
      getRowId={(row) => String(row.id)}
      initialSorting={[{ id: "status", desc: false }]}
      emptyText={emptyText}
    />
  );
}

"use client";
import type { ReactNode } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { JobListRow } from "@/lib/installation-jobs/list-jobs";
import { jobListColumns } from "./job-list-columns";

type Props = { rows: JobListRow[]; sorting: { id: string; desc: boolean }; sortHrefs: Record<string, string>; emptyText: ReactNode };

/** One page of the jobs list, sorted and paged by the server. */
export function JobListTable(props: Props) {
  return (
    <DataTable
      caption="Installation jobs"
      testId="jobs"
      columns={jobListColumns}
      data={props.rows}
      getRowId={(row) => String(row.id)}
      server={{ sorting: props.sorting, sortHrefs: props.sortHrefs }}
      emptyText={props.emptyText}
    />
  );
}

"use client";
import { DataTable } from "@/components/data-table/data-table";
import { softwareColumns, type SoftwareRow } from "./software-columns";

export function SoftwareTable({ caption, entries, testId, captionHidden }: { caption: string; entries: SoftwareRow[]; testId?: string; captionHidden?: boolean }) {
  return (
    <div className="table-scroll">
      <DataTable caption={caption} captionHidden={captionHidden} testId={testId} columns={softwareColumns} data={entries} getRowId={(e) => String(e.id)} emptyText="Nothing here yet." />
    </div>
  );
}

"use client";
import { DataTable } from "@/components/data-table/data-table";
import { softwareChoiceColumns, type SoftwareChoiceRow } from "./software-choice-columns";

export function SoftwareChoiceTable({ rows }: { rows: SoftwareChoiceRow[] }) {
  return (
    <DataTable
      caption="Installable software"
      testId="software-choices"
      columns={softwareChoiceColumns}
      data={rows}
      getRowId={(r) => String(r.id)}
      emptyText="Nothing can be installed yet: add software with its package file to the library first."
    />
  );
}

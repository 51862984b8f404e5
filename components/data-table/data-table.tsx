"use client";
/**
 * The one table component: a captioned, sortable @tanstack/react-table v9 table. Columns come
 * from the caller (one columns file per domain); sorting state is local.
 */
import { useEffect, useState } from "react";
import { useTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { dataTableFeatures, type DataTableFeatures } from "./features";
import { EmptyRow } from "./empty-row";

type Props<TRow extends object> = {
  caption: string;
  // `any`: one table holds columns of different value types.
  columns: ColumnDef<DataTableFeatures, TRow, any>[];
  data: TRow[];
  initialSorting?: SortingState;
  emptyText: string;
  getRowId?: (row: TRow) => string;
  testId?: string;
};

export function DataTable<TRow extends object>(props: Props<TRow>) {
  const [sorting, setSorting] = useState<SortingState>(props.initialSorting ?? []);
  // Rows are server-rendered first; the flag tells tests (and people) when headers are clickable.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const table = useTable({
    features: dataTableFeatures,
    columns: props.columns,
    data: props.data,
    getRowId: props.getRowId ? (row: TRow) => props.getRowId!(row) : undefined,
    state: { sorting },
    onSortingChange: setSorting,
    // Two states only (ascending, descending): a third "unsorted" click would look like a bug.
    enableSortingRemoval: false,
  });

  const rows = table.getRowModel().rows;
  return (
    <table className="data-table" data-testid={props.testId} data-hydrated={hydrated ? "true" : "false"}>
      <caption>{props.caption}</caption>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const sortable = header.column.getCanSort();
              const dir = header.column.getIsSorted();
              return (
                <th key={header.id} scope="col" aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined}>
                  {sortable ? (
                    <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                      <table.FlexRender header={header} />
                      <span aria-hidden="true">{dir === "asc" ? " ▲" : dir === "desc" ? " ▼" : " ↕"}</span>
                    </button>
                  ) : (
                    <table.FlexRender header={header} />
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <EmptyRow columns={props.columns.length} text={props.emptyText} />
        ) : (
          rows.map((row) => (
            <tr key={row.id}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/**
 * Table features every DataTable has. Declared once at module scope, as TanStack Table v9
 * wants, so column files and the table component agree on one type.
 */
import {
  createColumnHelper,
  createSortedRowModel,
  rowSelectionFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  tableFeatures,
} from "@tanstack/react-table";

export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  rowSelectionFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic, datetime: sortFn_datetime },
});

export type DataTableFeatures = typeof dataTableFeatures;

export function columnHelperFor<TRow extends object>() {
  return createColumnHelper<DataTableFeatures, TRow>();
}

"use client";
/**
 * The one table component: a captioned @tanstack/react-table v9 table. Columns come from the
 * caller (one columns file per domain). Two modes:
 *
 *   - client (the default): the rows are all there and sort here; headers are buttons;
 *   - server (`server`): the rows are one page the server sorted; the sort lives in the URL and
 *     headers are links to it (`sortHrefs`), so sorting works without JavaScript and a sorted
 *     page can be bookmarked.
 *
 * Optional row selection (`selection`): a checkbox per row and one for the page, then "select
 * all N matching" once the whole page is selected; the selection goes to the caller's bulk-action
 * bar (`renderActions`).
 */
import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTable, type ColumnDef, type RowSelectionState, type SortingState } from "@tanstack/react-table";
import { dataTableFeatures, type DataTableFeatures } from "./features";
import { EmptyRow } from "./empty-row";

/** What the bulk-action bar acts on: rows picked on this page, or everything the filters match. */
export type DataTableSelection<TRow> = { kind: "rows"; rows: TRow[] } | { kind: "allMatching"; label: string };

type Props<TRow extends object> = {
  /** The table's name (a caption, so screen readers announce it); may hold a note or a link. */
  caption: ReactNode;
  /** The caption for screen readers only: a heading right above already says it on screen. */
  captionHidden?: boolean;
  // `any`: one table holds columns of different value types.
  columns: ColumnDef<DataTableFeatures, TRow, any>[];
  data: TRow[];
  emptyText: ReactNode;
  getRowId?: (row: TRow) => string;
  testId?: string;
  /** Data attributes of a row's <tr> (`data-message-id`), for tests and scripts that find rows. */
  rowAttributes?: (row: TRow) => Record<`data-${string}`, string | undefined>;
  /** A last line across all columns, below the rows ("… and 20 more in the raw report"). */
  footer?: ReactNode;
  /** Client mode: false when the rows' order is the point (a log, a page of a longer list): headers are then plain text. */
  sortable?: boolean;
  /** Client mode: the sort the rows start in. */
  initialSorting?: SortingState;
  /** Server mode: the sort the rows arrived in, and per sortable column the link that sorts by it. */
  server?: { sorting: { id: string; desc: boolean } | null; sortHrefs: Record<string, string> };
  /**
   * Below 640 px wide, each row becomes a block of "label value" lines under a bar of the
   * sortable headers, instead of a table wider than the screen. (Explicit roles keep it a table
   * for assistive technology, which CSS display changes can otherwise undo.) On by default:
   * at 420 px no table of more than three columns is readable as a table.
   */
  stackOnNarrow?: boolean;
  selection?: {
    /** Names a row's checkbox for screen readers ("Select Warehouse scanner 07"). */
    rowLabel: (row: TRow) => string;
    /** Plural of what the rows are ("devices"). */
    noun: string;
    /** How many rows the filters match, as shown ("1,000+"); null when unknown. */
    matching: string | null;
    renderActions: (selection: DataTableSelection<TRow>, clear: () => void) => ReactNode;
  };
};

export function DataTable<TRow extends object>(props: Props<TRow>) {
  const [sorting, setSorting] = useState<SortingState>(props.initialSorting ?? []);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  // Rows are server-rendered first; the flag tells tests (and people) when controls respond.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const server = props.server;

  const table = useTable({
    features: dataTableFeatures,
    columns: props.columns,
    data: props.data,
    getRowId: props.getRowId ? (row: TRow) => props.getRowId!(row) : undefined,
    state: { sorting: server ? (server.sorting ? [server.sorting] : []) : sorting, rowSelection },
    onSortingChange: setSorting,
    onRowSelectionChange: (updater) => {
      setAllMatching(false);
      setRowSelection(updater);
    },
    // The server sorted the page; sorting it again here would only agree or, worse, differ.
    manualSorting: server !== undefined,
    enableRowSelection: props.selection !== undefined,
    enableSorting: props.sortable !== false,
    // Two states only (ascending, descending): a third "unsorted" click would look like a bug.
    enableSortingRemoval: false,
  });

  const rows = table.getRowModel().rows;
  const selection = props.selection;
  const stack = props.stackOnNarrow ?? true;
  const roles = stack ? { table: "table", row: "row", header: "columnheader", cell: "cell" } : undefined;
  const selectedRows = rows.filter((r) => r.getIsSelected()).map((r) => r.original);
  const clear = () => {
    setAllMatching(false);
    setRowSelection({});
  };
  const allOnPage = rows.length > 0 && selectedRows.length === rows.length;
  const current: DataTableSelection<TRow> | null =
    allMatching && selection?.matching ? { kind: "allMatching", label: selection.matching } : selectedRows.length > 0 ? { kind: "rows", rows: selectedRows } : null;

  return (
    <div className="data-table-block">
      {selection && (
        // Always in the page, so screen readers hear the count change.
        <div className="bulk-bar" role="region" aria-label={`Selected ${selection.noun}`} aria-live="polite" hidden={current === null}>
          {current && (
            <>
              <strong className="bulk-count">
                {current.kind === "allMatching" ? `All matching ${selection.noun} selected (${current.label})` : `${current.rows.length} selected`}
              </strong>
              {current.kind === "rows" && allOnPage && selection.matching && (
                <button type="button" className="link-button" onClick={() => setAllMatching(true)}>
                  Select all matching {selection.noun} ({selection.matching})
                </button>
              )}
              <div className="bulk-actions">{selection.renderActions(current, clear)}</div>
              <button type="button" className="link-button" onClick={clear}>
                Clear selection
              </button>
            </>
          )}
        </div>
      )}
      <div className="table-scroll">
        <table className={stack ? "data-table stack" : "data-table"} role={roles?.table} data-testid={props.testId} data-hydrated={hydrated ? "true" : "false"}>
          <caption className={props.captionHidden ? "visually-hidden" : undefined}>{props.caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} role={roles?.row}>
                {selection && (
                  <th scope="col" className="select-cell" role={roles?.header}>
                    <PageCheckbox
                      checked={allOnPage}
                      indeterminate={selectedRows.length > 0 && !allOnPage}
                      disabled={rows.length === 0}
                      label={`Select all ${selection.noun} on this page`}
                      onChange={(checked) => table.toggleAllPageRowsSelected(checked)}
                    />
                  </th>
                )}
                {group.headers.map((header) => {
                  const dir = header.column.getIsSorted();
                  const sortHref = server?.sortHrefs[header.column.id];
                  const sortable = server ? sortHref !== undefined : header.column.getCanSort();
                  const arrow = <span aria-hidden="true">{dir === "asc" ? " ▲" : dir === "desc" ? " ▼" : " ↕"}</span>;
                  return (
                    <th key={header.id} scope="col" role={roles?.header} className={classOf(header.column.columnDef)} aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined}>
                      {!sortable ? (
                        <table.FlexRender header={header} />
                      ) : sortHref !== undefined ? (
                        <Link href={sortHref} className="sort-link" scroll={false}>
                          <table.FlexRender header={header} />
                          {arrow}
                        </Link>
                      ) : (
                        <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                          <table.FlexRender header={header} />
                          {arrow}
                        </button>
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <EmptyRow columns={props.columns.length + (selection ? 1 : 0)} text={props.emptyText} />
            ) : (
              rows.map((row) => (
                <tr key={row.id} role={roles?.row} className={row.getIsSelected() ? "selected" : undefined} {...props.rowAttributes?.(row.original)}>
                  {selection && (
                    <td className="select-cell" role={roles?.cell}>
                      <input type="checkbox" checked={row.getIsSelected()} aria-label={selection.rowLabel(row.original)} onChange={(e) => row.toggleSelected(e.target.checked)} />
                    </td>
                  )}
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id} role={roles?.cell} className={classOf(cell.column.columnDef)} data-label={labelOf(cell.column.columnDef)}>
                      {/* One box for the value, so a stacked row wraps it as text beside its label. */}
                      <div className="cell-value">
                        <table.FlexRender cell={cell} />
                      </div>
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
          {props.footer ? (
            <tfoot>
              <tr role={roles?.row}>
                <td colSpan={props.columns.length + (selection ? 1 : 0)} className="empty" role={roles?.cell}>
                  {props.footer}
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
    </div>
  );
}

/** The page's checkbox: checked, unchecked or (some rows selected) mixed. */
function PageCheckbox(props: { checked: boolean; indeterminate: boolean; disabled: boolean; label: string; onChange: (checked: boolean) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = props.indeterminate;
  }, [props.indeterminate]);
  return <input ref={ref} type="checkbox" checked={props.checked} disabled={props.disabled} aria-label={props.label} onChange={(e) => props.onChange(e.target.checked)} />;
}

/** A column's cell class (`meta: { className }`: "numeric" right-aligns counts). */
function classOf(def: { meta?: unknown }): string | undefined {
  return (def.meta as { className?: string } | undefined)?.className;
}

/** The header text a stacked row repeats before each value; none for the row's primary cell. */
function labelOf(def: { header?: unknown; meta?: unknown }): string | undefined {
  return typeof def.header === "string" && !classOf(def)?.includes("primary") ? def.header : undefined;
}

import { DataTableLoading } from "@/components/data-table/data-table-loading";

/** While the list renders; in a route group, so the entry pages below keep their 404s (see devices/(list)/loading.tsx). */
export default function Loading() {
  return <DataTableLoading />;
}

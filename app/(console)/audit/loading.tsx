import { DataTableLoading } from "@/components/data-table/data-table-loading";

/**
 * While the page's table is read. Only where the page cannot answer 403 or 404: every role may
 * read it, and nothing below it is an entry page (a loading boundary streams the response, whose
 * status is then 200 whatever the page decides).
 */
export default function Loading() {
  return <DataTableLoading />;
}

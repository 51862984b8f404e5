import { DataTableLoading } from "@/components/data-table/data-table-loading";

/**
 * While the page's table is read. Only where the page cannot answer 403 or 404: each of the
 * three roles may read it (a signed-in user without a role would get the 403 page with status
 * 200), and nothing below it is an entry page. A loading boundary streams the response, whose
 * status is then 200 whatever the page decides.
 */
export default function Loading() {
  return <DataTableLoading />;
}

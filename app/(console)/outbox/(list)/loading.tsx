import { DataTableLoading } from "@/components/data-table/data-table-loading";

/**
 * While the Outbox renders. In its own route group, so that it does not wrap the message pages:
 * a loading boundary above them streams their response, which then cannot be a 404.
 */
export default function Loading() {
  return <DataTableLoading />;
}

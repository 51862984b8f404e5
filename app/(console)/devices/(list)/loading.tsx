import { DataTableLoading } from "@/components/data-table/data-table-loading";

/**
 * While the devices list renders. In its own route group, so that it does not wrap the device
 * pages: a loading boundary above them streams their response, which then cannot be a 404.
 */
export default function Loading() {
  return <DataTableLoading />;
}

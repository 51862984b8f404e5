"use client";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { LogRow } from "@/lib/installation-log/queries";
import { deviceRawReportHref, logColumns } from "./log-columns";

/** A device's installation log (newest first) or one job's history (oldest first): the rows' order is the point. */
export function InstallationLog({ rows, deviceUuid, caption = "Installation log" }: { rows: LogRow[]; deviceUuid: string; caption?: string }) {
  const columns = useMemo(() => logColumns<LogRow>(deviceRawReportHref(deviceUuid)), [deviceUuid]);
  return (
    <DataTable
      caption={caption}
      testId="installation-log"
      columns={columns}
      data={rows}
      getRowId={(row) => row.id}
      rowAttributes={(row) => ({ "data-message-id": row.messageId ?? undefined })}
      sortable={false}
      emptyText="No events yet."
    />
  );
}

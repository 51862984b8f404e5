"use client";
/** The job page's and the Installation status view's tables; the rows' order is the server's. */
import type { ReactNode } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { BatchView } from "@/lib/installation-jobs/batches";
import type { JobMessage } from "@/lib/installation-jobs/queries";
import { batchJobColumns } from "./batch-job-columns";
import { jobMessageColumns } from "./job-message-columns";

export function JobMessagesTable({ messages, emptyText, footer }: { messages: JobMessage[]; emptyText: string; footer?: ReactNode }) {
  return (
    <DataTable
      caption="Messages for the device"
      testId="job-messages"
      columns={jobMessageColumns}
      data={messages}
      getRowId={(m) => m.id}
      rowAttributes={(m) => ({ "data-message-id": m.id })}
      sortable={false}
      footer={footer}
      emptyText={emptyText}
    />
  );
}

export function BatchJobsTable({ caption, jobs, footer }: { caption: string; jobs: BatchView["jobs"]; footer?: ReactNode }) {
  return (
    <DataTable caption={caption} testId="batch-jobs" columns={batchJobColumns} data={jobs} getRowId={(j) => String(j.id)} sortable={false} footer={footer} emptyText="This install has no jobs left." />
  );
}

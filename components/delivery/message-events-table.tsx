"use client";
import type { ReactNode } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { MessageEventRow } from "@/lib/delivery/queries";
import { messageEventColumns } from "./message-event-columns";

/** A message's events; the order (oldest first) is the point, so the headers do not sort. */
export function MessageEventsTable({ events, footer }: { events: MessageEventRow[]; footer?: ReactNode }) {
  return (
    <DataTable
      caption="Events, oldest first"
      testId="message-events"
      columns={messageEventColumns}
      data={events}
      getRowId={(e) => e.id}
      sortable={false}
      footer={footer}
      emptyText="Nothing has happened to it yet: no attempt has started."
    />
  );
}

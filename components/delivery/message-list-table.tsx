"use client";
import type { ReactNode } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { MessageListRow } from "@/lib/delivery/list-messages";
import { messageListColumns } from "./message-list-columns";

type Props = { rows: MessageListRow[]; sorting: { id: string; desc: boolean }; sortHrefs: Record<string, string>; emptyText: ReactNode };

/** One page of the Outbox, sorted and paged by the server. */
export function MessageListTable(props: Props) {
  return (
    <DataTable
      caption="Outgoing messages"
      captionHidden
      testId="messages"
      columns={messageListColumns}
      data={props.rows}
      getRowId={(row) => row.id}
      rowAttributes={(row) => ({ "data-message-id": row.id })}
      server={{ sorting: props.sorting, sortHrefs: props.sortHrefs }}
      emptyText={props.emptyText}
    />
  );
}

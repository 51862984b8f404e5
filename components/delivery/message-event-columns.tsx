import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import type { MessageEventRow } from "@/lib/delivery/queries";
import { messageStateLabel } from "@/lib/delivery/message-view";

const helper = columnHelperFor<MessageEventRow>();

const EVENT_KINDS: Record<string, string> = { attempt: "Attempt", answer: "Gateway answer", report: "Delivery report", note: "Note" };

/** What happened to a message, oldest first (outbound_message_events). */
export const messageEventColumns = helper.columns([
  helper.accessor("at", { header: "Time", meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.getValue()) }),
  helper.accessor("kind", { header: "Kind", meta: { className: "nowrap" }, cell: (info) => EVENT_KINDS[info.getValue()] ?? info.getValue() }),
  // Not "numeric": an attempt is a name ("attempt 2"), not a count, so a stacked row gives it a line of its own.
  helper.accessor("attempt", { header: "Attempt", cell: (info) => info.getValue() ?? "—" }),
  helper.accessor("state", { header: "State after", meta: { className: "nowrap" }, cell: (info) => messageStateLabel(info.getValue()) }),
  helper.accessor("detail", { header: "Detail", meta: { className: "long-text" } }),
]);

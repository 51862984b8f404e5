import { columnHelperFor } from "@/components/data-table/features";
import { MessageLinkCell, MessageStateCell, MessageSummaryCell } from "@/components/delivery/message-cells";
import { messageKindLabel, messageSummary } from "@/lib/delivery/message-view";
import type { JobMessage } from "@/lib/installation-jobs/queries";

const helper = columnHelperFor<JobMessage>();

/** What the delivery layer was handed for a job, newest first (the job page's "Messages for the device"); each links to its page in the Outbox. */
export const jobMessageColumns = helper.columns([
  helper.accessor("createdAt", { header: "Created", meta: { className: "primary" }, cell: (info) => <MessageLinkCell id={info.row.original.id} createdAt={info.getValue()} /> }),
  helper.accessor("kind", { header: "Kind", meta: { className: "nowrap" }, cell: (info) => messageKindLabel(info.getValue()) }),
  helper.accessor("recipient", { header: "To", meta: { className: "nowrap" }, cell: (info) => <span className="mono">{info.getValue() ?? "no phone number"}</span> }),
  helper.accessor((m) => messageSummary(m.kind, m.content), {
    id: "content",
    header: "Content",
    meta: { className: "long-text" },
    cell: (info) => <MessageSummaryCell summary={info.getValue().text} link={info.getValue().link} />,
  }),
  helper.accessor("state", {
    header: "State",
    cell: (info) => <MessageStateCell state={info.getValue()} lastError={info.row.original.lastError} nextAttemptAt={info.row.original.nextAttemptAt} />,
  }),
  helper.accessor("attempts", { header: "Attempts", meta: { className: "numeric" } }),
]);

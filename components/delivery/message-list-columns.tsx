import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { DeviceNameCell } from "@/components/devices/device-name-cell";
import type { MessageListRow } from "@/lib/delivery/list-messages";
import { messageKindLabel } from "@/lib/delivery/message-view";
import { MessageLinkCell, MessageStateCell, MessageSummaryCell } from "./message-cells";

const helper = columnHelperFor<MessageListRow>();

/** The Outbox's columns. `created` is the list's one sort (list-messages-params.ts); the rows arrive sorted. */
export const messageListColumns = helper.columns([
  helper.accessor("createdAt", {
    id: "created",
    header: "Created",
    meta: { className: "primary" },
    cell: (info) => <MessageLinkCell id={info.row.original.id} createdAt={info.getValue()} />,
  }),
  helper.accessor("kind", { header: "Kind", cell: (info) => messageKindLabel(info.getValue()) }),
  helper.accessor("deviceName", {
    header: "Device",
    cell: (info) => <DeviceNameCell name={info.row.original.deviceName} deviceUuid={info.row.original.deviceUuid} />,
  }),
  helper.accessor("recipient", { header: "To", meta: { className: "nowrap" }, cell: (info) => <span className="mono">{info.getValue() ?? "no phone number"}</span> }),
  helper.accessor("summary", {
    id: "content",
    header: "Content",
    meta: { className: "long-text" },
    cell: (info) => <MessageSummaryCell summary={info.getValue()} link={info.row.original.link} />,
  }),
  helper.accessor("state", {
    header: "State",
    cell: (info) => <MessageStateCell state={info.getValue()} lastError={info.row.original.lastError} nextAttemptAt={info.row.original.nextAttemptAt} />,
  }),
  helper.accessor("attempts", { header: "Attempts", meta: { className: "numeric" } }),
  helper.accessor("jobId", {
    header: "Job",
    meta: { className: "nowrap" },
    cell: (info) => {
      const jobId = info.getValue();
      return jobId === null ? <span className="muted">—</span> : <Link href={`/jobs/${jobId}`}>Job {jobId}</Link>;
    },
  }),
]);

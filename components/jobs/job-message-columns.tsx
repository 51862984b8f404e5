import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import { isMessageState, MESSAGE_STATE_INFO } from "@/lib/delivery/message-state";
import type { JobMessage } from "@/lib/installation-jobs/queries";

const helper = columnHelperFor<JobMessage>();

const KIND_LABELS: Record<string, string> = { SMS_PUSH: "SMS push", WAP_PUSH: "WAP push" };

/** What the delivery layer was handed for a job, newest first (the job page's "Messages for the device"). */
export const jobMessageColumns = helper.columns([
  helper.accessor("createdAt", { header: "Created", meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.getValue()) }),
  helper.accessor("kind", { header: "Kind", cell: (info) => KIND_LABELS[info.getValue()] ?? "OMA DM bootstrap" }),
  helper.accessor("recipient", { header: "To", cell: (info) => <span className="mono">{info.getValue() ?? "no phone number"}</span> }),
  helper.accessor((m) => String(m.content.text ?? m.content.link ?? JSON.stringify(m.content)), { id: "content", header: "Content", cell: (info) => <span className="mono break">{info.getValue()}</span> }),
  helper.accessor("state", { header: "State", cell: (info) => (isMessageState(info.getValue()) ? MESSAGE_STATE_INFO[info.getValue() as keyof typeof MESSAGE_STATE_INFO].label : info.getValue()) }),
]);

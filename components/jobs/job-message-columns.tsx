import { columnHelperFor } from "@/components/data-table/features";
import { formatDateTime } from "@/components/format";
import type { JobMessage } from "@/lib/installation-jobs/queries";

const helper = columnHelperFor<JobMessage>();

const KIND_LABELS: Record<string, string> = { SMS_PUSH: "SMS push", WAP_PUSH: "WAP push" };

/** What the delivery layer was handed for a job, newest first (the job page's "Messages for the device"). */
export const jobMessageColumns = helper.columns([
  helper.accessor("createdAt", { header: "Created", meta: { className: "nowrap" }, cell: (info) => formatDateTime(info.getValue()) }),
  helper.accessor("kind", { header: "Kind", cell: (info) => KIND_LABELS[info.getValue()] ?? "OMA DM bootstrap" }),
  helper.accessor("recipient", { header: "To", meta: { className: "mono" }, cell: (info) => info.getValue() ?? "no phone number" }),
  helper.accessor((m) => String(m.content.text ?? m.content.link ?? JSON.stringify(m.content)), { id: "content", header: "Content", meta: { className: "mono break" } }),
  helper.accessor("state", { header: "State", cell: (info) => (info.getValue() === "recorded" ? "Recorded (sending comes with the delivery issue)" : info.getValue()) }),
]);

/**
 * A message as the JSON API shows it: the state as stored (what the `state` filter takes) with
 * its label beside it, the job's status by its display text, as the jobs API shows it.
 */
import { statusLabel } from "@/lib/installation-jobs/status-model";
import type { MessageListRow } from "./list-messages";
import { messageKindLabel, messageStateLabel } from "./message-view";
import { isMessageState, MESSAGE_STATE_INFO } from "./message-state";
import type { MessageDetail } from "./queries";
import { messageResendCheck } from "./resend-rules";

/** A row of GET /api/v1/messages. */
export function messageListRowJson(row: MessageListRow) {
  return { ...row, kindLabel: messageKindLabel(row.kind), stateLabel: messageStateLabel(row.state) };
}

/** GET /api/v1/messages/{id}: the message, its events, and whether it can be sent again (and why not). */
export function messageDetailJson(m: MessageDetail) {
  const { device, job, events, moreEvents, ...rest } = m;
  const check = messageResendCheck(m);
  return {
    ...rest,
    kindLabel: messageKindLabel(m.kind),
    stateLabel: messageStateLabel(m.state),
    stateDescription: isMessageState(m.state) ? MESSAGE_STATE_INFO[m.state].description : null,
    deviceUuid: device.deviceUuid,
    deviceName: device.name,
    jobId: job?.id ?? null,
    jobStatus: job ? statusLabel(job.status) : null,
    resend: check.ok ? { allowed: true } : { allowed: false, reason: check.reason },
    events: events.map((e) => ({ ...e, stateLabel: messageStateLabel(e.state) })),
    moreEvents,
  };
}

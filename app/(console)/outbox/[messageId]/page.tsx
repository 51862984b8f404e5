import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MessageStateCell } from "@/components/delivery/message-cells";
import { MessageEventsTable } from "@/components/delivery/message-events-table";
import { ResendMessageButton } from "@/components/delivery/resend-message-button";
import { formatDateTime } from "@/components/format";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { isMessageState, MESSAGE_STATE_INFO } from "@/lib/delivery/message-state";
import { contentEntries, messageHref, messageKindLabel, messageStateLabel, OUTBOX_PATH } from "@/lib/delivery/message-view";
import { messagePreview } from "@/lib/delivery/message-preview";
import { getMessage, getMessageState, MAX_EVENTS, messageIdOf } from "@/lib/delivery/queries";
import { messageResendCheck } from "@/lib/delivery/resend-rules";
import { methodLabel, statusLabel } from "@/lib/installation-jobs/status-model";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ messageId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requireActor({ job: ["read"] });
  return { title: `Message ${(await params).messageId}` };
}

/** One outgoing message: what it carries, where it stands, every attempt and answer, and Resend. */
export default async function MessagePage({ params, searchParams }: Props) {
  const actor = await requireActor({ job: ["read"] });
  const message = await getMessage((await params).messageId);
  if (!message) notFound();
  // Set by Resend's redirect: the message this one replaces (an id that is not one is ignored).
  const resentRaw = (await searchParams).resent;
  const resentFrom = typeof resentRaw === "string" && messageIdOf(resentRaw) !== null ? resentRaw : null;
  const resentState = resentFrom ? await getMessageState(resentFrom) : null;

  const { device, job } = message;
  const check = messageResendCheck(message);
  const canWrite = actorCan(actor, { job: ["write"] });
  const entries = contentEntries(message.content);
  const preview = await messagePreview(message.kind, { id: message.id, content: message.content, deviceUuid: device.deviceUuid });

  return (
    <>
      <p>
        <Link href={OUTBOX_PATH}>← Outbox</Link>
      </p>
      <h1>
        {messageKindLabel(message.kind)} message {message.id}
      </h1>
      {resentFrom && resentState ? (
        <p role="status" className="form-ok" data-testid="resent-status">
          Sent again: this message replaces <Link href={messageHref(resentFrom)}>message {resentFrom}</Link>, which is now {messageStateLabel(resentState)}.
        </p>
      ) : null}
      <dl className="facts">
        <dt>Kind</dt>
        <dd>{messageKindLabel(message.kind)}</dd>
        <dt>To</dt>
        <dd className="mono">{message.recipient ?? "no phone number"}</dd>
        <dt>Device</dt>
        <dd>
          <Link href={`/devices/${encodeURIComponent(device.deviceUuid)}`}>{device.name}</Link> <span className="mono muted">{device.deviceUuid}</span>
        </dd>
        <dt>Job</dt>
        <dd>
          {job ? (
            <>
              <Link href={`/jobs/${job.id}`}>
                Job {job.id}: {job.softwareName} {job.softwareVersion}
              </Link>{" "}
              <span className="muted">
                ({statusLabel(job.status)}
                {job.cancelled ? ", cancelled" : ""}; {methodLabel(job.method)})
              </span>
            </>
          ) : message.kind === "BOOTSTRAP" ? (
            <span className="muted">None: sent from the device page</span>
          ) : (
            <span className="muted">Removed</span>
          )}
        </dd>
        <dt>State</dt>
        <dd data-testid="message-state">
          <MessageStateCell state={message.state} lastError={null} nextAttemptAt={null} />
          {isMessageState(message.state) ? <span className="muted"> {MESSAGE_STATE_INFO[message.state].description}</span> : null}
        </dd>
        <dt>Attempts</dt>
        <dd data-testid="message-attempts">{message.attempts}</dd>
        {message.state === "retrying" ? (
          <>
            <dt>Next attempt</dt>
            <dd>{formatDateTime(message.nextAttemptAt)}</dd>
          </>
        ) : null}
        <dt>Transport</dt>
        <dd className={message.transport ? "mono" : "muted"}>{message.transport ?? "None yet"}</dd>
        <dt>Gateway reference</dt>
        <dd className={message.gatewayRef ? "mono" : "muted"}>{message.gatewayRef ?? "—"}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(message.createdAt)}</dd>
        <dt>Accepted</dt>
        <dd>{formatDateTime(message.acceptedAt)}</dd>
        <dt>Delivered</dt>
        <dd>{formatDateTime(message.deliveredAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatDateTime(message.finishedAt)}</dd>
        <dt>Last error</dt>
        <dd className={message.lastError ? "form-error" : "muted"} data-testid="message-last-error">
          {message.lastError ?? "None"}
        </dd>
      </dl>
      {canWrite ? (
        check.ok ? (
          <ResendMessageButton messageId={message.id} bootstrap={message.kind === "BOOTSTRAP"} />
        ) : (
          <p className="resend-unavailable" data-testid="resend-unavailable">
            <strong>Cannot be resent.</strong> {check.reason}{" "}
            {check.fix === "job" && job ? <Link href={`/jobs/${job.id}`}>Go to job {job.id}</Link> : null}
            {check.fix === "device" ? <Link href={`/devices/${encodeURIComponent(device.deviceUuid)}`}>Go to {device.name}</Link> : null}
          </p>
        )
      ) : null}
      <h2>Content</h2>
      <dl className="facts message-content" data-testid="message-content">
        {entries.map((e) => (
          <div key={e.key} className="fact-pair">
            <dt className="mono">{e.key}</dt>
            <dd className="mono">{e.href ? <a href={e.href}>{e.value}</a> : e.value}</dd>
          </div>
        ))}
      </dl>
      {preview ? (
        <>
          <h2>{preview.title}</h2>
          <dl className="facts message-content" data-testid="message-preview">
            {preview.rows.map((r) => (
              <div key={r.key} className="fact-pair">
                <dt className="mono">{r.key}</dt>
                <dd className="mono">{r.value}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
      <MessageEventsTable events={message.events} footer={message.moreEvents ? `Only the first ${MAX_EVENTS} events are shown.` : undefined} />
    </>
  );
}

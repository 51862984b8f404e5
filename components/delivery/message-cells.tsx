/** Cells a message shows in every table of messages: the Outbox, a job's messages. */
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { httpUrl, messageHref, messageStateLabel } from "@/lib/delivery/message-view";

/** The creation time, as the link to the message's page (the row's way in). */
export function MessageLinkCell({ id, createdAt }: { id: string; createdAt: string }) {
  return (
    <Link href={messageHref(id)} data-testid="message-link">
      <span className="sr-only">Message {id}, created </span>
      {formatDateTime(createdAt)}
    </Link>
  );
}

/** The state's label; why it failed or what it is retrying after; when the next attempt is due. */
export function MessageStateCell({ state, lastError, nextAttemptAt }: { state: string; lastError: string | null; nextAttemptAt: string | null }) {
  return (
    <div className="message-state">
      <span className={`message-state-label message-state-${state.replace(/\W+/g, "-")}`} data-state={state}>
        {messageStateLabel(state)}
      </span>
      {(state === "failed" || state === "retrying") && lastError ? <span className="cell-note">{lastError}</span> : null}
      {state === "retrying" && nextAttemptAt ? <span className="cell-note">Next attempt {formatDateTime(nextAttemptAt)}</span> : null}
    </div>
  );
}

/** What the message says (message-view.ts messageSummary), and for a WAP push the link its SI points at. */
export function MessageSummaryCell({ summary, link }: { summary: string; link: string | null }) {
  const href = link ? httpUrl(link) : null;
  return (
    <div className="message-summary">
      <span>{summary}</span>
      {link ? href ? <a className="cell-note mono" href={href}>{link}</a> : <span className="cell-note mono">{link}</span> : null}
    </div>
  );
}

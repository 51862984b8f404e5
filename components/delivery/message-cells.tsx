/** Cells a message shows in every table of messages: the Outbox, a job's messages. */
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { httpUrl, messageHref, messageStateLabel } from "@/lib/delivery/message-view";

/**
 * The creation time, as the link to the message's page (the row's way in). Date and time may
 * wrap onto two lines, so the Outbox's eight columns fit 1280 px without scrolling sideways.
 */
export function MessageLinkCell({ id, createdAt }: { id: string; createdAt: string }) {
  const text = formatDateTime(createdAt);
  const cut = text.indexOf(" ");
  return (
    <Link href={messageHref(id)} data-testid="message-link">
      <span className="sr-only">Message {id}, created </span>
      <span className="nowrap">{text.slice(0, cut)}</span> <span className="nowrap">{text.slice(cut + 1)}</span>
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

/**
 * What the message says (message-view.ts messageSummary), and for a WAP push the link its SI
 * points at: clickable where the text quotes it (ours do), else on a line of its own, so the
 * long link is never shown twice.
 */
export function MessageSummaryCell({ summary, link }: { summary: string; link: string | null }) {
  const href = link ? httpUrl(link) : null;
  const at = link ? summary.indexOf(link) : -1;
  if (link && href && at >= 0) {
    return (
      <span>
        {summary.slice(0, at)}
        <a href={href}>{link}</a>
        {summary.slice(at + link.length)}
      </span>
    );
  }
  return (
    <div className="message-summary">
      <span>{summary}</span>
      {link ? href ? <a className="cell-note mono" href={href}>{link}</a> : <span className="cell-note mono">{link}</span> : null}
    </div>
  );
}

import { formatDateTime, formatDuration, formatRelativeTime } from "@/components/format";

/**
 * "4 min ago" with the exact time in a tooltip (and for screen readers, in the time element),
 * and an Overdue badge when the device missed two polls in a row.
 */
export function LastContact(props: { lastContactAt: string | null; lastPollAt: string | null; pollIntervalSeconds: number; overdue: boolean; now: string }) {
  if (props.lastContactAt === null) return <span className="muted">Never</span>;
  const expected = `polls every ${formatDuration(props.pollIntervalSeconds * 1000)}`;
  const lastPoll = props.lastPollAt ? `last poll ${formatDateTime(props.lastPollAt)}` : "no poll yet";
  return (
    <span className="last-contact">
      <time dateTime={props.lastContactAt} title={`${formatDateTime(props.lastContactAt)} (${lastPoll}; ${expected})`}>
        {formatRelativeTime(props.lastContactAt, props.now)}
      </time>
      {props.overdue && (
        <span className="badge badge-overdue" title={`No poll for more than two poll intervals (${expected})`}>
          Overdue
        </span>
      )}
    </span>
  );
}

/**
 * How far a gradual installation has got, on its Installation status view: released X of Y,
 * the state (releasing, waiting for its window, paused and why, fully released), the next
 * release, the plan and the failure rate so far. A server component: it reads nothing itself.
 */
import type { ReactNode } from "react";
import { formatDateTime, formatRelativeTime } from "@/components/format";
import { RefreshAt } from "@/components/live/refresh-at";
import type { RolloutView } from "@/lib/installation-jobs/batches";
import { formatPercent } from "@/lib/installation-jobs/rollout-plan";
import { RolloutControls } from "./rollout-controls";

/** "one every 10 min", "about 3 a minute": the plan's pace in words. */
export function describePace(perHour: number): string {
  if (perHour === 1) return "one an hour";
  if (perHour <= 60) {
    const minutes = 60 / perHour;
    return Number.isInteger(minutes) ? `one every ${minutes} min` : `one about every ${Math.round(minutes * 10) / 10} min`;
  }
  const perMinute = perHour / 60;
  return Number.isInteger(perMinute) ? `${perMinute} a minute` : `about ${Math.round(perMinute * 10) / 10} a minute`;
}

function stateText(r: RolloutView, now: string): ReactNode {
  switch (r.state) {
    case "releasing":
      return "Releasing";
    case "waiting_for_window":
      return `Waiting for its window (opens ${r.nextReleaseAt ? `${formatDateTime(r.nextReleaseAt)}, ${formatRelativeTime(r.nextReleaseAt, now)}` : "—"})`;
    case "paused":
      return (
        <span className="rollout-state-paused">
          Paused {r.pausedAt ? formatDateTime(r.pausedAt) : ""}
          {r.pausedBy ? ` by ${r.pausedBy}` : " by itself"}: {r.pauseReason ?? "no reason given"}
        </span>
      );
    case "released":
      return "Fully released";
  }
}

export function RolloutStatus({ batchId, rollout: r, now, canChange }: { batchId: number; rollout: RolloutView; now: string; canChange: boolean }) {
  const due = r.nextReleaseAt !== null && r.nextReleaseAt <= now;
  return (
    <section className="rollout" aria-labelledby="rollout-title" data-testid="rollout">
      <h2 id="rollout-title">Gradual release</h2>
      <p data-testid="rollout-progress">
        <strong>
          Released {r.released.toLocaleString("en-US")} of {r.targets.toLocaleString("en-US")}
        </strong>
        {r.skipped ? ` (${r.skipped.toLocaleString("en-US")} of them skipped, below)` : ""}
      </p>
      <progress value={r.released} max={r.targets} aria-label={`Released ${r.released} of ${r.targets}`} />
      <dl className="facts">
        <dt>State</dt>
        <dd data-testid="rollout-state" data-state={r.state}>
          {stateText(r, now)}
        </dd>
        <dt>Next release</dt>
        <dd data-testid="rollout-next">
          {r.state === "releasing" && r.nextReleaseAt ? (
            due ? (
              "due now (within the minute)"
            ) : (
              <>
                <span className="nowrap">{formatDateTime(r.nextReleaseAt)}</span> ({formatRelativeTime(r.nextReleaseAt, now)})
              </>
            )
          ) : r.state === "waiting_for_window" && r.nextReleaseAt ? (
            <span className="nowrap">{formatDateTime(r.nextReleaseAt)}</span>
          ) : (
            "—"
          )}
        </dd>
        <dt>Plan</dt>
        <dd data-testid="rollout-plan">
          At most {r.perHour.toLocaleString("en-US")} job{r.perHour === 1 ? "" : "s"} an hour ({describePace(r.perHour)}),{" "}
          {r.window ? `between ${r.window.from} and ${r.window.to} UTC` : "at any time of day"}
        </dd>
        <dt>Pauses itself</dt>
        <dd>{r.failureThresholdPercent !== null ? `when more than ${r.failureThresholdPercent} % of the finished jobs failed, once at least ${r.minFinished} have finished` : "never (no failure threshold)"}</dd>
        <dt>Failure rate so far</dt>
        <dd data-testid="rollout-failures">
          {r.finished === 0 ? "no released job has finished yet" : `${formatPercent((100 * r.failed) / r.finished)} % (${r.failed} of ${r.finished} finished jobs failed)`}
        </dd>
      </dl>
      {canChange && r.state !== "released" ? <RolloutControls batchId={batchId} paused={r.state === "paused"} /> : null}
      {r.skippedTargets.length ? (
        <>
          <h3>Skipped</h3>
          <ul className="rollout-skipped" data-testid="rollout-skipped">
            {r.skippedTargets.map((t) => (
              <li key={t.position}>
                {t.deviceName ?? <span className="mono">{t.deviceUuid}</span>}: {t.reason}
              </li>
            ))}
            {r.skipped > r.skippedTargets.length ? <li className="muted">and {r.skipped - r.skippedTargets.length} more</li> : null}
          </ul>
        </>
      ) : null}
      <RefreshAt at={r.state === "releasing" || r.state === "waiting_for_window" ? r.nextReleaseAt : null} />
    </section>
  );
}

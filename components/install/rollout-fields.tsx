"use client";
/**
 * The Installation window's "Release gradually" (DME throttling): at most N jobs an hour, spread
 * evenly, optionally only inside a daily UTC window, optionally pausing by itself when too many
 * of the released jobs fail. The field names are the install schema's paths (rollout.perHour …),
 * so its messages land beside their fields, in the browser and from the server alike.
 */
import { useState } from "react";
import { FieldError, TextField } from "@/components/forms/form-status";
import type { FormState } from "@/lib/actions/form-state";
import { DEFAULT_MIN_FINISHED, MAX_BATCH_DEVICES } from "@/lib/installation-jobs/install-batch-schema";

export function RolloutFields({ state }: { state: FormState }) {
  const v = state.values ?? {};
  const [gradual, setGradual] = useState(v.gradual === "on");
  return (
    <fieldset className="rollout-fields">
      <legend>Release</legend>
      <label className="check">
        <input type="checkbox" name="gradual" checked={gradual} onChange={(e) => setGradual(e.currentTarget.checked)} />
        <span>
          Release gradually <span className="muted hint">— otherwise every job is created at once</span>
        </span>
      </label>
      {gradual ? (
        <div className="indented">
          <TextField
            id="rollout-per-hour"
            name="rollout.perHour"
            label="Jobs per hour, at most"
            state={state}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_BATCH_DEVICES}
            step={1}
            defaultValue={v["rollout.perHour"] ?? ""}
            hint="Spread evenly: 6 an hour is one every 10 minutes. The first goes out at once."
          />
          <div className="time-range" role="group" aria-labelledby="rollout-window-label" aria-describedby="rollout-window-hint">
            <span id="rollout-window-label" className="group-label">
              Only between (UTC)
            </span>
            <span className="time-range-fields">
              <TextField id="rollout-window-start" name="rollout.windowStart" label="from" state={state} type="time" defaultValue={v["rollout.windowStart"] ?? ""} />
              <TextField id="rollout-window-end" name="rollout.windowEnd" label="to" state={state} type="time" defaultValue={v["rollout.windowEnd"] ?? ""} />
            </span>
            <p id="rollout-window-hint" className="muted">
              Leave both empty to release at any time. A window may run across midnight (22:00 to 06:00).
            </p>
          </div>
          <TextField
            id="rollout-threshold"
            name="rollout.failureThresholdPercent"
            label="Pause when the failure rate passes (%)"
            state={state}
            type="number"
            inputMode="numeric"
            min={0}
            max={99}
            step={1}
            defaultValue={v["rollout.failureThresholdPercent"] ?? ""}
            hint="Failed: Installation failed or Unknown status, of the released jobs that have finished. Leave empty never to pause by itself."
          />
          <TextField
            id="rollout-min-finished"
            name="rollout.minFinished"
            label="Judge the rate once this many have finished"
            state={state}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_BATCH_DEVICES}
            step={1}
            placeholder={String(DEFAULT_MIN_FINISHED)}
            defaultValue={v["rollout.minFinished"] ?? ""}
            hint={`${DEFAULT_MIN_FINISHED} when left empty, so one early failure does not stop the release.`}
          />
        </div>
      ) : null}
      <FieldError state={state} name="rollout" />
    </fieldset>
  );
}

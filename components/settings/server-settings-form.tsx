"use client";
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { IDLE } from "@/lib/actions/form-state";
import type { ServerSettingsView } from "@/lib/settings/manage-settings";
import { updateServerSettingsAction } from "@/app/(console)/settings/actions";
import { DeviceSettingsFields, Toggle } from "./device-settings-fields";

export function ServerSettingsForm({ settings, editable }: { settings: ServerSettingsView; editable: boolean }) {
  const [state, action, pending] = useActionState(updateServerSettingsAction, IDLE);
  const echo = state.status === "error" ? state.values : undefined;
  const err = state.fields;
  return (
    <form key={state.at} action={action} className="form" aria-label="Server settings" noValidate>
      <fieldset disabled={!editable}>
        <legend>Defaults for every device</legend>
        <DeviceSettingsFields values={settings.device} errors={err} echo={echo} />
      </fieldset>
      <fieldset disabled={!editable}>
        <legend>Enrollment and links</legend>
        <Toggle name="enrollmentEnabled" label="Unknown devices may enroll with the enrollment secret" checked={settings.options.enrollmentEnabled} echo={echo} />
        <p className="muted">
          {settings.enrollmentSecretSet ? "The enrollment secret is set (DEPLOYDESK_ENROLLMENT_SECRET)." : "No enrollment secret is set (DEPLOYDESK_ENROLLMENT_SECRET), so no device can enroll whatever this says."}
        </p>
        <label htmlFor="linkLifetimeMinutes">
          Download links expire after <span className="muted">(minutes)</span>
        </label>
        <input id="linkLifetimeMinutes" name="linkLifetimeMinutes" type="number" min={1} defaultValue={echo?.linkLifetimeMinutes ?? Math.round(settings.options.linkLifetimeSeconds / 60)} aria-invalid={Boolean(err.linkLifetimeMinutes)} />
        {err.linkLifetimeMinutes ? <p className="field-error">{err.linkLifetimeMinutes}</p> : null}
        <label htmlFor="tokenRotationDays">
          Replace device tokens older than <span className="muted">(days; 0 = never)</span>
        </label>
        <input id="tokenRotationDays" name="tokenRotationDays" type="number" min={0} defaultValue={echo?.tokenRotationDays ?? settings.options.tokenRotationDays} aria-invalid={Boolean(err.tokenRotationDays)} />
        {err.tokenRotationDays ? <p className="field-error">{err.tokenRotationDays}</p> : null}
      </fieldset>
      <FormStatus state={state} />
      {editable ? (
        <button type="submit" disabled={pending}>
          Save settings
        </button>
      ) : (
        <p className="muted">Only Admins change these.</p>
      )}
    </form>
  );
}

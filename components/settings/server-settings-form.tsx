"use client";
import { useActionState } from "react";
import { FormStatus, TextField } from "@/components/forms/form-status";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { formInput, IDLE } from "@/lib/actions/form-state";
import { serverSettingsSchema } from "@/lib/settings/settings-schemas";
import type { ServerSettingsView } from "@/lib/settings/manage-settings";
import { updateServerSettingsAction } from "@/app/(console)/settings/actions";
import { DeviceSettingsFields, Toggle } from "./device-settings-fields";

export function ServerSettingsForm({ settings, editable }: { settings: ServerSettingsView; editable: boolean }) {
  const [server, action, pending] = useActionState(updateServerSettingsAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(serverSettingsSchema, server, formInput);
  const echo = state.status === "error" ? state.values : undefined;
  const err = state.fields;
  return (
    <form key={server.at} action={action} onSubmit={onSubmit} className="form" aria-label="Server settings" noValidate>
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
        <TextField
          id="linkLifetimeMinutes"
          name="linkLifetimeMinutes"
          label={<>Download links expire after <span className="muted">(minutes)</span></>}
          state={state}
          type="number"
          min={1}
          defaultValue={echo?.linkLifetimeMinutes ?? Math.round(settings.options.linkLifetimeSeconds / 60)}
        />
        <TextField
          id="tokenRotationDays"
          name="tokenRotationDays"
          label={<>Replace device tokens older than <span className="muted">(days; 0 = never)</span></>}
          state={state}
          type="number"
          min={0}
          defaultValue={echo?.tokenRotationDays ?? settings.options.tokenRotationDays}
        />
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

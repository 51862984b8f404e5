"use client";
import { useActionState } from "react";
import { FieldError, FormStatus, TextField } from "@/components/forms/form-status";
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
      <fieldset disabled={!editable}>
        <legend>OMA DM bootstrap</legend>
        <label htmlFor="bootstrapSecurity">Security</label>
        <select id="bootstrapSecurity" name="bootstrapSecurity" defaultValue={echo?.bootstrapSecurity ?? settings.options.bootstrapSecurity} aria-describedby="bootstrapSecurity-hint">
          <option value="USERPIN">User PIN (USERPIN)</option>
          <option value="USERPINMAC">User PIN with check digits (USERPINMAC)</option>
        </select>
        <FieldError state={state} name="bootstrapSecurity" id="bootstrapSecurity-error" />
        <p className="muted" id="bootstrapSecurity-hint">
          The device asks its user for the PIN before it accepts the bootstrap: give it to the users. The network-PIN methods need the SIM&apos;s IMSI, which devices do not report.
        </p>
        <TextField id="bootstrapPin" name="bootstrapPin" label="Bootstrap PIN" state={state} inputMode="numeric" autoComplete="off" defaultValue={echo?.bootstrapPin ?? settings.options.bootstrapPin} />
        <TextField
          id="bootstrapTimeoutHours"
          name="bootstrapTimeoutHours"
          label={<>A bootstrap fails when no OMA DM session follows within <span className="muted">(hours)</span></>}
          state={state}
          type="number"
          min={1}
          defaultValue={echo?.bootstrapTimeoutHours ?? settings.options.bootstrapTimeoutHours}
        />
      </fieldset>
      <fieldset disabled={!editable}>
        <legend>Housekeeping</legend>
        <TextField
          id="stuckJobDays"
          name="stuckJobDays"
          label={<>Unfinished jobs with no change for this long become Unknown status <span className="muted">(days)</span></>}
          state={state}
          type="number"
          min={1}
          defaultValue={echo?.stuckJobDays ?? settings.options.stuckJobDays}
        />
        <TextField
          id="logRetentionDays"
          name="logRetentionDays"
          label={<>Keep installation-log entries for <span className="muted">(days)</span></>}
          state={state}
          type="number"
          min={1}
          defaultValue={echo?.logRetentionDays ?? settings.options.logRetentionDays}
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

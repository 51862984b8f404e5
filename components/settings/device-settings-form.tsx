"use client";
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { formInput, IDLE } from "@/lib/actions/form-state";
import { deviceSettingsFormSchema, deviceSettingsFromForm } from "@/lib/settings/settings-schemas";
import type { DeviceSettingsView } from "@/lib/settings/manage-settings";
import { updateDeviceSettingsAction } from "@/app/(console)/devices/[deviceUuid]/actions";
import { DeviceSettingsFields } from "./device-settings-fields";

export function DeviceSettingsForm({ deviceUuid, settings, editable }: { deviceUuid: string; settings: DeviceSettingsView; editable: boolean }) {
  const [server, action, pending] = useActionState(updateDeviceSettingsAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(deviceSettingsFormSchema, server, (fd) => {
    const { reset, fields } = deviceSettingsFromForm(formInput(fd));
    return reset ? null : fields;
  });
  const echo = state.status === "error" ? state.values : undefined;
  return (
    <details className="settings-details" open={state.status !== "idle" || undefined}>
      <summary>
        Poll settings: {settings.overridden ? "this device's own" : "the server's"} (every {settings.effective.pollIntervalMinutes} minutes)
      </summary>
      <form key={server.at} action={action} onSubmit={onSubmit} className="form" aria-label="Device settings" noValidate>
        <input type="hidden" name="deviceUuid" value={deviceUuid} />
        <fieldset disabled={!editable}>
          <DeviceSettingsFields values={settings.effective} errors={state.fields} echo={echo} />
        </fieldset>
        <FormStatus state={state} />
        {editable ? (
          <div className="inline-form">
            <button type="submit" disabled={pending}>
              Save for this device
            </button>
            {settings.overridden ? (
              <button type="submit" name="reset" value="true" className="secondary" disabled={pending}>
                Use the server settings
              </button>
            ) : null}
          </div>
        ) : null}
      </form>
    </details>
  );
}

/** The poll response's settings as form controls: the settings page and a device's own override. */
import type { DeviceSettingsForm } from "@/lib/settings/settings-schemas";

type Props = { values: DeviceSettingsForm; errors: Record<string, string>; echo?: Record<string, string> };

function NumberField({ name, label, value, errors, echo, unit = "minutes" }: { name: keyof DeviceSettingsForm; label: string; value: number; errors: Record<string, string>; echo?: Record<string, string>; unit?: string }) {
  return (
    <>
      <label htmlFor={name}>
        {label} <span className="muted">({unit})</span>
      </label>
      <input id={name} name={name} type="number" min={0} defaultValue={echo?.[name] ?? value} aria-invalid={Boolean(errors[name]) || undefined} aria-describedby={errors[name] ? `${name}-error` : undefined} />
      {errors[name] ? (
        <p className="field-error" id={`${name}-error`}>
          {errors[name]}
        </p>
      ) : null}
    </>
  );
}

function Toggle({ name, label, checked, echo }: { name: keyof DeviceSettingsForm | "enrollmentEnabled"; label: string; checked: boolean; echo?: Record<string, string> }) {
  const on = echo ? echo[name] === "true" : checked;
  return (
    <label className="check">
      <input type="hidden" name={name} value="false" />
      <input type="checkbox" name={name} value="true" defaultChecked={on} /> {label}
    </label>
  );
}

export function DeviceSettingsFields({ values: v, errors, echo }: Props) {
  return (
    <>
      <fieldset>
        <legend>Polling</legend>
        <NumberField name="pollIntervalMinutes" label="Poll every" value={v.pollIntervalMinutes} errors={errors} echo={echo} />
        <NumberField name="failureRetryCount" label="After a failed poll, retry" value={v.failureRetryCount} errors={errors} echo={echo} unit="times" />
        <NumberField name="failureRetryIntervalMinutes" label="Retry every" value={v.failureRetryIntervalMinutes} errors={errors} echo={echo} />
      </fieldset>
      <fieldset>
        <legend>Reports</legend>
        <Toggle name="softwareInventoryEnabled" label="Send a software inventory" checked={v.softwareInventoryEnabled} echo={echo} />
        <NumberField name="softwareInventoryIntervalMinutes" label="Software inventory every" value={v.softwareInventoryIntervalMinutes} errors={errors} echo={echo} />
        <Toggle name="machineInventoryEnabled" label="Send a machine inventory" checked={v.machineInventoryEnabled} echo={echo} />
        <NumberField name="machineInventoryIntervalMinutes" label="Machine inventory every" value={v.machineInventoryIntervalMinutes} errors={errors} echo={echo} />
        <Toggle name="fileCollectionEnabled" label="Collect files" checked={v.fileCollectionEnabled} echo={echo} />
        <NumberField name="fileCollectionIntervalMinutes" label="Collect files every" value={v.fileCollectionIntervalMinutes} errors={errors} echo={echo} />
      </fieldset>
    </>
  );
}

export { Toggle };

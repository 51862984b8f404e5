"use client";
/** A device's own controls on its page: edit its facts, reset its token, remove it. */
import { useActionState } from "react";
import { FieldError, FormStatus } from "@/components/forms/form-status";
import { IDLE } from "@/lib/actions/form-state";
import { removeDeviceAction, resetTokenAction, updateDeviceAction } from "@/app/(console)/devices/[deviceUuid]/actions";

type Props = { deviceUuid: string; name: string; platform: string | null; phoneNumber: string | null };

export function DeviceAdmin(p: Props) {
  const [state, action, pending] = useActionState(updateDeviceAction, IDLE);
  const [tState, reset, resetting] = useActionState(resetTokenAction, IDLE);
  const [rState, remove, removing] = useActionState(removeDeviceAction, IDLE);
  const v = state.status === "error" ? state.values : undefined;
  return (
    <details className="settings-details" open={state.status !== "idle" || tState.status !== "idle" || rState.status === "error" || undefined}>
      <summary>Edit, reset token or remove this device</summary>
      <form key={state.at} action={action} className="form" aria-label="Edit device" noValidate>
        <input type="hidden" name="deviceUuid" value={p.deviceUuid} />
        <label htmlFor="device-name">Name</label>
        <input id="device-name" name="name" defaultValue={v?.name ?? p.name} aria-invalid={Boolean(state.fields.name)} />
        <FieldError state={state} name="name" />
        <label htmlFor="device-platform">Platform</label>
        <input id="device-platform" name="platform" defaultValue={v?.platform ?? p.platform ?? ""} />
        <FieldError state={state} name="platform" />
        <label htmlFor="device-phone">Phone number (for SMS and WAP push)</label>
        <input id="device-phone" name="phoneNumber" type="tel" defaultValue={v?.phoneNumber ?? p.phoneNumber ?? ""} aria-invalid={Boolean(state.fields.phoneNumber)} />
        <FieldError state={state} name="phoneNumber" />
        <FormStatus state={state} />
        <button type="submit" disabled={pending}>
          Save device
        </button>
      </form>
      <form action={reset} className="form" aria-label="Reset device token" onSubmit={(e) => !window.confirm("Revoke this device's tokens? It cannot talk to the server until it is configured with the new one.") && e.preventDefault()}>
        <input type="hidden" name="deviceUuid" value={p.deviceUuid} />
        <FormStatus state={tState} />
        {tState.values?.token ? <input readOnly className="mono token-once" aria-label="New device token" value={tState.values.token} data-testid="new-device-token" onFocus={(e) => e.currentTarget.select()} /> : null}
        <button type="submit" className="secondary" disabled={resetting}>
          Reset token
        </button>
      </form>
      <form action={remove} className="form" aria-label="Remove device" onSubmit={(e) => !window.confirm("Remove this device with its jobs, log and reports? The audit trail keeps that it existed.") && e.preventDefault()}>
        <input type="hidden" name="deviceUuid" value={p.deviceUuid} />
        <FormStatus state={rState} />
        <button type="submit" className="danger" disabled={removing}>
          Remove device
        </button>
      </form>
    </details>
  );
}

"use client";
/** A device's own controls on its page: edit its facts, reset its token, remove it. */
import { useActionState } from "react";
import { FormStatus, TextField } from "@/components/forms/form-status";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { formInput, IDLE } from "@/lib/actions/form-state";
import { devicePatchFromForm, devicePatchSchema } from "@/lib/devices/device-schemas";
import { removeDeviceAction, resetTokenAction, updateDeviceAction } from "@/app/(console)/devices/[deviceUuid]/actions";

type Props = { deviceUuid: string; name: string; platform: string | null; phoneNumber: string | null };

export function DeviceAdmin(p: Props) {
  const [server, action, pending] = useActionState(updateDeviceAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(devicePatchSchema, server, (fd) => devicePatchFromForm(formInput(fd)));
  const [tState, reset, resetting] = useActionState(resetTokenAction, IDLE);
  const [rState, remove, removing] = useActionState(removeDeviceAction, IDLE);
  const v = state.status === "error" ? state.values : undefined;
  return (
    <details className="settings-details" open={state.status !== "idle" || tState.status !== "idle" || rState.status === "error" || undefined}>
      <summary>Edit, reset token or remove this device</summary>
      <form key={server.at} action={action} onSubmit={onSubmit} className="form" aria-label="Edit device" noValidate>
        <input type="hidden" name="deviceUuid" value={p.deviceUuid} />
        <TextField id="device-name" name="name" label="Name" state={state} defaultValue={v?.name ?? p.name} />
        <TextField id="device-platform" name="platform" label="Platform" state={state} defaultValue={v?.platform ?? p.platform ?? ""} />
        <TextField id="device-phone" name="phoneNumber" label="Phone number (for SMS and WAP push)" state={state} type="tel" defaultValue={v?.phoneNumber ?? p.phoneNumber ?? ""} />
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

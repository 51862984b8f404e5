"use client";
import Link from "next/link";
import { useActionState } from "react";
import { FormStatus, TextField } from "@/components/forms/form-status";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { formInput, IDLE } from "@/lib/actions/form-state";
import { newDeviceSchema } from "@/lib/devices/device-schemas";
import { registerDeviceAction } from "@/app/(console)/devices/[deviceUuid]/actions";

export function RegisterDeviceForm() {
  const [server, action, pending] = useActionState(registerDeviceAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(newDeviceSchema, server, formInput);
  const created = state.status === "ok" ? state.values : undefined;
  const v = state.status === "error" ? state.values : undefined;
  if (created?.token) {
    return (
      <div className="form">
        <FormStatus state={state} />
        <label htmlFor="device-token">Device token (X-Device-Auth)</label>
        <input id="device-token" readOnly className="mono token-once" value={created.token} data-testid="new-device-token" onFocus={(e) => e.currentTarget.select()} />
        <p>
          <Link href={`/devices/${encodeURIComponent(created.deviceUuid ?? "")}`}>Open the device</Link>
        </p>
      </div>
    );
  }
  return (
    <form key={server.at} action={action} onSubmit={onSubmit} className="form" aria-label="Register a device" noValidate>
      <TextField id="new-uuid" name="deviceUuid" label="X-Device-UUID" state={state} className="mono" defaultValue={v?.deviceUuid} />
      <TextField id="new-device-name" name="name" label="Name" state={state} defaultValue={v?.name} />
      <TextField id="new-platform" name="platform" label="Platform" state={state} defaultValue={v?.platform} placeholder="e.g. PocketPC 2003" />
      <TextField id="new-phone" name="phoneNumber" label="Phone number" state={state} type="tel" defaultValue={v?.phoneNumber} />
      <FormStatus state={state} />
      <button type="submit" disabled={pending}>
        Register device
      </button>
    </form>
  );
}

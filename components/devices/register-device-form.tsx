"use client";
import Link from "next/link";
import { useActionState } from "react";
import { FieldError, FormStatus } from "@/components/forms/form-status";
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
      <label htmlFor="new-uuid">X-Device-UUID</label>
      <input id="new-uuid" name="deviceUuid" className="mono" defaultValue={v?.deviceUuid} aria-invalid={Boolean(state.fields.deviceUuid)} />
      <FieldError state={state} name="deviceUuid" />
      <label htmlFor="new-device-name">Name</label>
      <input id="new-device-name" name="name" defaultValue={v?.name} aria-invalid={Boolean(state.fields.name)} />
      <FieldError state={state} name="name" />
      <label htmlFor="new-platform">Platform</label>
      <input id="new-platform" name="platform" defaultValue={v?.platform} placeholder="e.g. PocketPC 2003" />
      <label htmlFor="new-phone">Phone number</label>
      <input id="new-phone" name="phoneNumber" type="tel" defaultValue={v?.phoneNumber} aria-invalid={Boolean(state.fields.phoneNumber)} />
      <FieldError state={state} name="phoneNumber" />
      <FormStatus state={state} />
      <button type="submit" disabled={pending}>
        Register device
      </button>
    </form>
  );
}

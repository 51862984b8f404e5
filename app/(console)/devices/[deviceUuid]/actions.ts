"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionOrigin } from "@/lib/actions/action-origin";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { markBootstrap, sendBootstrap } from "@/lib/devices/bootstrap";
import { devicePatchFromForm } from "@/lib/devices/device-schemas";
import { registerDevice, removeDevice, resetDeviceToken, updateDevice } from "@/lib/devices/manage-devices";
import { getDeviceByUuid } from "@/lib/devices/queries";
import { AppError } from "@/lib/errors";
import { updateDeviceSettings } from "@/lib/settings/manage-settings";
import { deviceSettingsFromForm } from "@/lib/settings/settings-schemas";

export async function updateDeviceSettingsAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { deviceUuid, reset, fields } = deviceSettingsFromForm(formInput(formData));
    const device = await getDeviceByUuid(deviceUuid);
    if (!device) throw new AppError("NOT_FOUND", "No such device.");
    await updateDeviceSettings(actor, device.id, fields, reset);
    revalidatePath(`/devices/${device.deviceUuid}`);
    return reset ? "The device follows the server settings again from its next poll." : "Saved. The device gets these at its next poll.";
  }, formData);
}

export async function updateDeviceAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const fields = formInput(formData);
    const deviceUuid = fields.deviceUuid ?? "";
    await updateDevice(actor, deviceUuid, devicePatchFromForm(fields));
    revalidatePath(`/devices/${deviceUuid}`);
    return "Saved.";
  }, formData);
}

export async function resetTokenAction(_: FormState, formData: FormData): Promise<FormState> {
  let token = "";
  const state = await runAction(async (actor) => {
    token = await resetDeviceToken(actor, formInput(formData).deviceUuid ?? "");
    return "Every earlier token is revoked. Configure the device with this one; it is not shown again.";
  });
  return token ? { ...state, values: { token } } : state;
}

export async function removeDeviceAction(_: FormState, formData: FormData): Promise<FormState> {
  const state = await runAction(async (actor) => {
    await removeDevice(actor, formInput(formData).deviceUuid ?? "");
    return "Removed.";
  });
  if (state.status === "ok") redirect("/devices");
  return state;
}

export async function registerDeviceAction(_: FormState, formData: FormData): Promise<FormState> {
  let created: { deviceUuid: string; token: string } | null = null;
  const state = await runAction(async (actor) => {
    const device = await registerDevice(actor, formInput(formData));
    created = { deviceUuid: device.deviceUuid, token: device.token };
    return `Registered ${device.name}. Configure the device with this token; it is not shown again.`;
  }, formData);
  return created ? { ...state, values: created } : state;
}

export async function bootstrapAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { deviceUuid, step } = formInput(formData);
    const uuid = deviceUuid ?? "";
    if (step === "send") {
      await sendBootstrap(actor, uuid, await actionOrigin());
      revalidatePath(`/devices/${uuid}`);
      return "Bootstrap handed to delivery.";
    }
    const moved = await markBootstrap(actor, uuid, step === "succeeded", await actionOrigin());
    revalidatePath(`/devices/${uuid}`);
    const jobs = `${moved} waiting job${moved === 1 ? "" : "s"}`;
    return step === "succeeded" ? `Marked as bootstrapped: ${jobs} went on to Installing software.` : `Marked as failed: ${jobs} fell back to their download link.`;
  });
}

/**
 * Turns a device selection (device-selection-schema.ts) into the UUIDs it names, before the
 * action's transaction: a filter or group is read as it matches now, through the devices list's
 * own filters, so "every matching device" means what the list showed. More than the cap is
 * refused, not cut short.
 */
import { isAppError } from "@/lib/errors";
import { validationFailed } from "@/lib/validation";
import { MAX_SELECTED_DEVICES, type DeviceSelection } from "./device-selection-schema";
import { matchingDeviceUuids } from "./list-devices";
import { DEFAULT_DEVICE_LIST, parseDeviceListParams, type DeviceListParams } from "./list-devices-params";

export async function resolveDeviceSelection(selection: DeviceSelection, now = new Date()): Promise<string[]> {
  if (selection.deviceUuids) return [...new Set(selection.deviceUuids)];
  const field = selection.groupId !== undefined ? "groupId" : "deviceFilter";
  let params: DeviceListParams;
  if (selection.groupId !== undefined) {
    params = { ...DEFAULT_DEVICE_LIST, group: [selection.groupId] };
  } else {
    const parsed = parseDeviceListParams(new URLSearchParams(selection.deviceFilter ?? ""));
    if (!parsed.ok) throw validationFailed(parsed.issues.map((i) => ({ field, message: `${i.field}: ${i.message}` })));
    params = { ...parsed.value, cursor: null };
  }
  let uuids: string[];
  try {
    uuids = await matchingDeviceUuids(params, MAX_SELECTED_DEVICES + 1, now);
  } catch (error) {
    // An unknown group or a stale saved filter, named against the field the caller sent.
    if (isAppError(error, "VALIDATION_FAILED")) throw validationFailed((error.details?.fields ?? []).map((f) => ({ field, message: f.message })));
    throw error;
  }
  if (uuids.length === 0) throw validationFailed([{ field, message: "No device matches." }]);
  if (uuids.length > MAX_SELECTED_DEVICES) {
    throw validationFailed([{ field, message: `More than ${MAX_SELECTED_DEVICES.toLocaleString("en-US")} devices match; narrow the filter (at most ${MAX_SELECTED_DEVICES.toLocaleString("en-US")} at once).` }]);
  }
  return uuids;
}

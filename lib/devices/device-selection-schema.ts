/**
 * Which devices an action is for, as every bulk action (install, cancel unfinished jobs, add to
 * a group) and the JSON API take it: listed by UUID, every device a devices-list filter matches
 * (its query string, checked by the list's own schema when used), or a device group. Pure.
 */
import { z } from "zod";

/** One transaction handles every device; past this many, narrow the filter (throttled rollouts come with the delivery issue). */
export const MAX_SELECTED_DEVICES = 10_000;

export const deviceSelectionFields = {
  deviceUuids: z
    .array(z.string().trim().min(1, "A device UUID cannot be empty."))
    .min(1, "Choose at least one device.")
    .max(MAX_SELECTED_DEVICES, `At most ${MAX_SELECTED_DEVICES} devices at once.`)
    .optional(),
  /** A devices-list query string ("platform=Windows+CE+6.0&lastContact=overdue"); "" is every device. */
  deviceFilter: z.string().max(4000, "A device filter can be at most 4000 characters.").optional(),
  groupId: z.coerce.number({ error: "A group id is a number." }).int().positive("A group id is a positive number.").optional(),
};

export type DeviceSelection = { deviceUuids?: string[]; deviceFilter?: string; groupId?: number };

/** For a schema's superRefine: exactly one of the three ways is given. */
export function checkOneSelection(v: DeviceSelection, ctx: z.RefinementCtx): void {
  const given = [v.deviceUuids !== undefined, v.deviceFilter !== undefined, v.groupId !== undefined].filter(Boolean).length;
  if (given !== 1) {
    ctx.addIssue({ code: "custom", path: ["deviceUuids"], message: given === 0 ? "Choose devices: deviceUuids, deviceFilter or groupId." : "Choose devices one way only: deviceUuids, deviceFilter or groupId." });
  }
}

/** A selection on its own, as the bulk actions without other fields take it. */
export const deviceSelectionSchema = z.strictObject(deviceSelectionFields).superRefine(checkOneSelection);

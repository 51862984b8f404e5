/** A device as an administrator enters it (console forms and /api/v1/devices), checked once. */
import { z } from "zod";
import { blankAsNull, blankAsUndefined } from "@/lib/validation";

/** X-Device-UUID: 52 hex digits on CE 6.0, a GUID on CE 4.21; anything printable up to 100 characters is accepted. */
export const deviceUuidSchema = z
  .string({ error: "Enter the device's X-Device-UUID." })
  .trim()
  .min(1, "Enter the device's X-Device-UUID.")
  .max(100, "At most 100 characters.")
  .regex(/^[\x21-\x7e]+$/, "Printable characters without spaces, as the device sends it.");

/** Stored without spaces, dashes or brackets, with its leading +, so SMS gateways get one form. */
export const phoneNumberSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()\-.]{3,32}$/, "A phone number such as +44 20 7946 0958.")
  .transform((v) => v.replace(/[ ()\-.]/g, ""));

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);

export const newDeviceSchema = z.strictObject({
  deviceUuid: deviceUuidSchema,
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(200, "At most 200 characters."),
  platform: blankAsUndefined(text(100)),
  phoneNumber: blankAsUndefined(phoneNumberSchema),
});

export const devicePatchSchema = z.strictObject({
  name: newDeviceSchema.shape.name.optional(),
  platform: blankAsNull(text(100)),
  phoneNumber: blankAsNull(phoneNumberSchema),
});

/** The edit form's fields as the patch: every field is sent, so a blank one clears it. */
export function devicePatchFromForm(fields: Record<string, string | undefined>) {
  return { name: fields.name ?? "", platform: fields.platform ?? "", phoneNumber: fields.phoneNumber ?? "" };
}

/**
 * The settings forms' schemas, in the units people think in (minutes, days): checked by the
 * settings service and, with the same messages, by the forms in the browser. Pure.
 */
import { z } from "zod";
import { flag } from "@/lib/validation";

/** How a bootstrap may be signed (server-options.ts says why only these). */
export const BOOTSTRAP_SECURITY = ["USERPIN", "USERPINMAC"] as const;
export type BootstrapSecurity = (typeof BOOTSTRAP_SECURITY)[number];

const minutes = (label: string, min = 1, max = 143_999) =>
  z.coerce.number({ error: `${label}: a number of minutes.` }).int(`${label}: whole minutes.`).min(min, `${label}: at least ${min} minute${min === 1 ? "" : "s"}.`).max(max, `${label}: at most ${max} minutes.`);

const whole = (label: string, unit: string, min: number, max: number) =>
  z.coerce.number({ error: `${label}: a number of ${unit}.` }).int(`${label}: whole ${unit}.`).min(min, `${label}: at least ${min} ${unit}.`).max(max, `${label}: at most ${max} ${unit}.`);

/** The timing and report settings a poll response carries, in the units people think in. */
export const deviceSettingsFormSchema = z.strictObject({
  pollIntervalMinutes: minutes("Poll interval"),
  failureRetryCount: z.coerce.number({ error: "Retries: a number." }).int("Retries: a whole number.").min(0, "Retries: 0 or more.").max(100, "Retries: at most 100."),
  failureRetryIntervalMinutes: minutes("Retry interval"),
  softwareInventoryEnabled: flag,
  softwareInventoryIntervalMinutes: minutes("Software inventory interval"),
  machineInventoryEnabled: flag,
  machineInventoryIntervalMinutes: minutes("Machine inventory interval"),
  fileCollectionEnabled: flag,
  fileCollectionIntervalMinutes: minutes("File collection interval"),
});
export type DeviceSettingsForm = z.infer<typeof deviceSettingsFormSchema>;

export const serverSettingsSchema = deviceSettingsFormSchema.extend({
  enrollmentEnabled: flag,
  linkLifetimeMinutes: minutes("Download-link lifetime", 1, 7 * 24 * 60),
  tokenRotationDays: z.coerce.number({ error: "Token rotation: a number of days." }).int("Token rotation: whole days.").min(0, "Token rotation: 0 (never) or more days.").max(3650, "Token rotation: at most 3650 days."),
  bootstrapSecurity: z.enum(BOOTSTRAP_SECURITY, { error: "Bootstrap security: USERPIN or USERPINMAC." }),
  bootstrapPin: z.string({ error: "Bootstrap PIN: 4 to 16 digits." }).trim().regex(/^\d{4,16}$/, "Bootstrap PIN: 4 to 16 digits."),
  bootstrapTimeoutHours: whole("Bootstrap timeout", "hours", 1, 24 * 30),
  stuckJobDays: whole("Stuck jobs", "days", 1, 365),
  logRetentionDays: whole("Log retention", "days", 1, 3650),
});

/** A device's settings form: which device, whether it goes back to the server's, and the fields. */
export function deviceSettingsFromForm({ deviceUuid, reset, ...fields }: Record<string, string | undefined>) {
  return { deviceUuid: deviceUuid ?? "", reset: reset === "true", fields };
}

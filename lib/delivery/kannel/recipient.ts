/**
 * The one check of a phone number before it goes to Kannel. Pure.
 *
 * Kannel needs E.164 with its "+": without it the PPG answers badmessage 2000, and an address
 * that is not what the PPG expects can hang wapbox (kannel.md §6). Devices store numbers as
 * typed minus spaces, dashes, dots and brackets (lib/devices/device-schemas.ts), possibly
 * without "+"; the same separators are dropped here, and anything else is refused rather than
 * guessed (a missing "+" could mean a national number).
 */
import { AppError } from "@/lib/errors";

/** "+" then 6–15 digits, after dropping spaces, dashes, dots and brackets. */
export function e164(raw: string, field = "to"): string {
  const compact = raw.trim().replace(/[ ()\-.]/g, "");
  if (/^\+\d{6,15}$/.test(compact)) return compact;
  const message = compact.startsWith("+")
    ? `"${raw.slice(0, 40)}" is not a phone number in E.164 form: "+" and 6–15 digits.`
    : `"${raw.slice(0, 40)}" needs its country code with "+" (E.164, such as +15551234567); Kannel refuses numbers without it.`;
  throw new AppError("VALIDATION_FAILED", message, { fields: [{ field, message }] });
}

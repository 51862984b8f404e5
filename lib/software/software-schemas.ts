/**
 * A software entry's fields as an administrator enters them (the upload form, the edit form,
 * POST/PATCH /api/v1/software), checked once here. Package IDs are GUIDs, stored upper case
 * and without braces: devices send them in any case, and every message compares upper case.
 */
import { z } from "zod";
import { blankAsUndefined, flag } from "@/lib/validation";

const GUID = /^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$/;

export const packageIdSchema = z
  .string()
  .trim()
  .regex(GUID, "A package ID is a GUID, such as 9A437CA5-5B17-4486-9E87-260742074A72.")
  .transform((v) => GUID.exec(v)![1]!.toUpperCase());

/** Form checkboxes and API booleans alike: "on"/"true"/"1"/true mean yes, absent means no. */
/** `missing` is what a field left empty says (empty fields are not sent); without it, zod's own words. */
const text = (max: number, label: string, missing?: string) => z.string(missing ? { error: missing } : undefined).trim().max(max, `${label}: at most ${max} characters.`);

/** The instruction fields of protocol §5.4, editable after upload. */
export const instructionFieldsSchema = z.strictObject({
  required: flag.optional(),
  shortDescription: text(200, "Short description").optional(),
  longDescription: text(4000, "Long description").optional(),
  /** Network constraints; at least one must allow the download. */
  lowBandwidth: flag.optional(),
  highBandwidth: flag.optional(),
  cradled: flag.optional(),
  /** Blank clears it ("as soon as possible"), so it stays a string here. */
  startTime: z.union([z.literal(""), z.iso.datetime({ local: true, error: "Start time: a date and time such as 2026-12-24T08:00." })], { error: "Start time: a date and time such as 2026-12-24T08:00." }).optional(),
  startTimeUtc: flag.optional(),
  sourceFiles: flag.optional(),
  recurrenceHours: z.union([z.literal(""), z.coerce.number().int("Whole hours.").min(1, "At least 1 hour.").max(24 * 365, "At most a year.")], { error: "Repeat: a whole number of hours, or empty." }).optional(),
  recurrenceBehavior: z.enum(["DOWNLOAD_AND_EXECUTE", "EXECUTE_ONLY"], { error: "Choose download and execute, or execute only." }).optional(),
  localDestination: text(260, "Local destination").min(1, "Enter where the device stores the package, e.g. \\temp.").optional(),
  commandLine: text(1000, "Command line").optional(),
});

export const softwareIdentitySchema = z.strictObject({
  kind: z.enum(["DME_CLIENT", "OTHER_SOFTWARE"], { error: "Choose DME client or Other software." }),
  name: text(200, "Name", "Enter a name.").min(1, "Enter a name."),
  version: text(50, "Version", "Enter a version.").min(1, "Enter a version."),
  platform: blankAsUndefined(text(100, "Platform")),
  packageId: blankAsUndefined(packageIdSchema),
  defaultBuild: flag.optional(),
  testBuild: flag.optional(),
});

export const newSoftwareSchema = softwareIdentitySchema
  .extend(instructionFieldsSchema.shape)
  .superRefine((v, ctx) => {
    if (v.kind === "DME_CLIENT" && !v.platform) ctx.addIssue({ code: "custom", path: ["platform"], message: "A DME client is built for one platform: enter it." });
    if (v.kind !== "DME_CLIENT" && (v.defaultBuild || v.testBuild)) ctx.addIssue({ code: "custom", path: ["defaultBuild"], message: "Only DME clients have default and test builds." });
    if (v.defaultBuild && v.testBuild) ctx.addIssue({ code: "custom", path: ["testBuild"], message: "A build is either the default or a test build." });
  });
export type NewSoftware = z.output<typeof newSoftwareSchema>;

/**
 * An upload's text fields as the schema takes them (the upload route and the form in the
 * browser): the last value of a name wins, as a checkbox after its hidden "false" needs, and an
 * empty field is not given.
 */
export function uploadFieldsInput(entries: Iterable<[string, unknown]>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of entries) if (typeof value === "string") fields[name] = value;
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ""));
}

export const softwarePatchSchema = instructionFieldsSchema.extend({
  name: softwareIdentitySchema.shape.name.optional(),
  version: softwareIdentitySchema.shape.version.optional(),
  defaultBuild: flag.optional(),
  testBuild: flag.optional(),
});
export type SoftwarePatch = z.output<typeof softwarePatchSchema>;

/** The edit form's fields as the patch: every field is sent, a blank one as "" (which clears it). */
export function softwarePatchFromForm({ softwareId, ...fields }: Record<string, string | undefined>) {
  return { softwareId: Number(softwareId), patch: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v ?? ""])) };
}

/** Instruction fields → the columns of `software`. Absent fields are left as they are. */
export function instructionColumns(v: z.output<typeof instructionFieldsSchema>) {
  const anyNetwork = v.lowBandwidth !== undefined || v.highBandwidth !== undefined || v.cradled !== undefined;
  return {
    ...(v.required !== undefined ? { required: v.required } : {}),
    ...(v.shortDescription !== undefined ? { shortDescription: v.shortDescription } : {}),
    ...(v.longDescription !== undefined ? { longDescription: v.longDescription } : {}),
    ...(anyNetwork ? { flags: (v.lowBandwidth ? 1 : 0) | (v.highBandwidth ? 2 : 0) | (v.cradled ? 4 : 0) } : {}),
    ...(v.startTime !== undefined ? { startTime: v.startTime ? new Date(`${v.startTime}Z`) : null } : {}),
    ...(v.startTimeUtc !== undefined ? { startTimeUtc: v.startTimeUtc } : {}),
    ...(v.sourceFiles !== undefined ? { sourceFiles: v.sourceFiles } : {}),
    ...(v.recurrenceHours !== undefined
      ? { recurrenceIntervalSeconds: v.recurrenceHours ? v.recurrenceHours * 3600 : null, recurrenceBehavior: v.recurrenceHours ? (v.recurrenceBehavior ?? "DOWNLOAD_AND_EXECUTE") : null }
      : {}),
    ...(v.localDestination !== undefined ? { localDestination: v.localDestination } : {}),
    ...(v.commandLine !== undefined ? { commandLine: v.commandLine } : {}),
  };
}

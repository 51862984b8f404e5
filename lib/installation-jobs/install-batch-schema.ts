/** What an install (the wizard, POST /api/v1/jobs) asks for; pure, for the OpenAPI document too. */
import { z } from "zod";
import { checkOneSelection, deviceSelectionFields, MAX_SELECTED_DEVICES } from "@/lib/devices/device-selection-schema";
import { DEFAULT_MIN_FINISHED, parseClock } from "./rollout-plan";
import { INSTALL_METHODS } from "./status-model";

/** One transaction creates every job (or, released gradually, every target); past this many, split the installation. */
export const MAX_BATCH_DEVICES = MAX_SELECTED_DEVICES;

const PER_HOUR = `Release between 1 and ${MAX_BATCH_DEVICES.toLocaleString("en-US")} jobs an hour, a whole number.`;
const CLOCK = "a time of day in UTC as HH:MM, 00:00 to 23:59";
const THRESHOLD = "The failure threshold is a whole percent from 0 to 99 (above it the release pauses).";
const MIN_FINISHED = `Evaluate the failure rate once 1 to ${MAX_BATCH_DEVICES.toLocaleString("en-US")} released jobs have finished (a whole number).`;

const clock = (which: string) => z.string({ error: `The window's ${which} is ${CLOCK}.` }).refine((v) => parseClock(v) !== null, `The window's ${which} is ${CLOCK}.`);

/**
 * "Release gradually": at most `perHour` jobs an hour, spread evenly, optionally only between
 * `windowStart` and `windowEnd` (UTC; a window may wrap midnight), and optionally paused by
 * itself once the failure rate of its finished jobs passes `failureThresholdPercent`, evaluated
 * from `minFinished` finished jobs on (DEFAULT_MIN_FINISHED when not given).
 */
export const rolloutSchema = z
  .strictObject(
    {
      perHour: z.coerce.number({ error: PER_HOUR }).int(PER_HOUR).min(1, PER_HOUR).max(MAX_BATCH_DEVICES, PER_HOUR),
      windowStart: clock("start").optional(),
      windowEnd: clock("end").optional(),
      failureThresholdPercent: z.coerce.number({ error: THRESHOLD }).int(THRESHOLD).min(0, THRESHOLD).max(99, THRESHOLD).optional(),
      minFinished: z.coerce.number({ error: MIN_FINISHED }).int(MIN_FINISHED).min(1, MIN_FINISHED).max(MAX_BATCH_DEVICES, MIN_FINISHED).optional(),
    },
    { error: "The gradual release is an object: perHour, and optionally windowStart, windowEnd, failureThresholdPercent, minFinished." },
  )
  .superRefine((v, ctx) => {
    if (v.windowStart !== undefined && v.windowEnd === undefined) ctx.addIssue({ code: "custom", path: ["windowEnd"], message: "Give the window's end too (or neither end)." });
    if (v.windowEnd !== undefined && v.windowStart === undefined) ctx.addIssue({ code: "custom", path: ["windowStart"], message: "Give the window's start too (or neither end)." });
    if (v.windowStart !== undefined && v.windowStart === v.windowEnd) ctx.addIssue({ code: "custom", path: ["windowEnd"], message: "The window ends when it starts: it would never be open. Leave both empty to release at any time." });
    if (v.minFinished !== undefined && v.failureThresholdPercent === undefined) {
      ctx.addIssue({ code: "custom", path: ["failureThresholdPercent"], message: "Give the failure threshold the minimum of finished jobs is for (or leave both empty)." });
    }
  });
export type RolloutInput = z.infer<typeof rolloutSchema>;
export { DEFAULT_MIN_FINISHED };

const LINK_METHODS = ["WAP_PUSH", "SMS_PUSH", "MARK_FOR_INSTALLATION"] as const;

export const installBatchSchema = z
  .strictObject({
    softwareId: z.coerce.number({ error: "Choose the software." }).int().positive("Choose the software."),
    ...deviceSelectionFields,
    method: z.enum(INSTALL_METHODS, { error: "Choose OMA_DM, WAP_PUSH, SMS_PUSH or MARK_FOR_INSTALLATION." }),
    fallbackMethod: z.enum(LINK_METHODS, { error: "The fallback is a download-link method: WAP_PUSH, SMS_PUSH or MARK_FOR_INSTALLATION." }).optional(),
    /** Leave out devices that already have an unfinished job for this software, instead of refusing. */
    skipExisting: z.boolean().optional(),
    /** Release gradually instead of all at once. */
    rollout: rolloutSchema.optional(),
  })
  .superRefine((v, ctx) => {
    checkOneSelection(v, ctx);
    if (v.method === "OMA_DM" && !v.fallbackMethod) ctx.addIssue({ code: "custom", path: ["fallbackMethod"], message: "Use DM needs a download-link method to fall back to." });
    if (v.method !== "OMA_DM" && v.fallbackMethod) ctx.addIssue({ code: "custom", path: ["fallbackMethod"], message: "Only Use DM has a fallback." });
  });
export type InstallBatchInput = z.infer<typeof installBatchSchema>;


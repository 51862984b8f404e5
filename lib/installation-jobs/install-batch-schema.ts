/** What an install (the wizard, POST /api/v1/jobs) asks for; pure, for the OpenAPI document too. */
import { z } from "zod";
import { checkOneSelection, deviceSelectionFields, MAX_SELECTED_DEVICES } from "@/lib/devices/device-selection-schema";
import { INSTALL_METHODS } from "./status-model";

/** One transaction creates every job; past this many, split the rollout (throttled rollouts come with the delivery issue). */
export const MAX_BATCH_DEVICES = MAX_SELECTED_DEVICES;

const LINK_METHODS = ["WAP_PUSH", "SMS_PUSH", "MARK_FOR_INSTALLATION"] as const;

export const installBatchSchema = z
  .strictObject({
    softwareId: z.coerce.number({ error: "Choose the software." }).int().positive("Choose the software."),
    ...deviceSelectionFields,
    method: z.enum(INSTALL_METHODS, { error: "Choose OMA_DM, WAP_PUSH, SMS_PUSH or MARK_FOR_INSTALLATION." }),
    fallbackMethod: z.enum(LINK_METHODS, { error: "The fallback is a download-link method: WAP_PUSH, SMS_PUSH or MARK_FOR_INSTALLATION." }).optional(),
    /** Leave out devices that already have an unfinished job for this software, instead of refusing. */
    skipExisting: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    checkOneSelection(v, ctx);
    if (v.method === "OMA_DM" && !v.fallbackMethod) ctx.addIssue({ code: "custom", path: ["fallbackMethod"], message: "Use DM needs a download-link method to fall back to." });
    if (v.method !== "OMA_DM" && v.fallbackMethod) ctx.addIssue({ code: "custom", path: ["fallbackMethod"], message: "Only Use DM has a fallback." });
  });
export type InstallBatchInput = z.infer<typeof installBatchSchema>;


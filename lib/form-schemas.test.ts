/**
 * Every schema a console form is checked with (in the browser and again by its service) answers
 * an empty or missing field in its own words, never zod's generic "Invalid input": forms show
 * these messages beside the fields, and the API lists them in its 422.
 */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { newGroupSchema } from "@/lib/devices/device-group-schema";
import { devicePatchSchema, newDeviceSchema } from "@/lib/devices/device-schemas";
import { installBatchSchema } from "@/lib/installation-jobs/install-batch-schema";
import { deviceSettingsFormSchema, serverSettingsSchema } from "@/lib/settings/settings-schemas";
import { newSoftwareSchema, softwarePatchSchema } from "@/lib/software/software-schemas";
import { changePasswordSchema, newApiTokenSchema, newUserSchema } from "@/lib/users/user-schemas";

const SCHEMAS: [string, z.ZodType, Record<string, unknown>][] = [
  ["register a device", newDeviceSchema, {}],
  ["edit a device", devicePatchSchema, { name: "" }],
  ["add a user", newUserSchema, {}],
  ["change one's password", changePasswordSchema, {}],
  ["create an API token", newApiTokenSchema, {}],
  ["server settings", serverSettingsSchema, {}],
  ["a device's settings", deviceSettingsFormSchema, {}],
  ["add software", newSoftwareSchema, {}],
  ["add a DME client", newSoftwareSchema, { kind: "DME_CLIENT" }],
  ["edit software", softwarePatchSchema, { name: "", version: "" }],
  ["create a group", newGroupSchema, {}],
  ["create a saved-filter group", newGroupSchema, { kind: "FILTER" }],
  ["install", installBatchSchema, {}],
  ["install gradually", installBatchSchema, { softwareId: 1, deviceUuids: ["A"], method: "SMS_PUSH", rollout: {} }],
];

describe("form schemas", () => {
  it.each(SCHEMAS)("%s: missing fields are named in the form's words", (_, schema, input) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).not.toMatch(/Invalid input|expected .*, received/);
  });
});

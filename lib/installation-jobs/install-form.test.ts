import { describe, expect, it } from "vitest";
import { installBatchSchema } from "./install-batch-schema";
import { installInputFromForm } from "./install-form";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const base = { softwareId: "3", method: "SMS_PUSH", selection: "uuids", deviceUuids: "ABC" };

describe("the Installation window's fields", () => {
  it("release everything at once unless 'Release gradually' is ticked, whatever its fields hold", () => {
    expect(installInputFromForm(form({ ...base, "rollout.perHour": "5" })).rollout).toBeUndefined();
  });

  it("map the gradual release to the schema's paths, empty fields left out", () => {
    const input = installInputFromForm(form({ ...base, gradual: "on", "rollout.perHour": "20", "rollout.windowStart": "22:00", "rollout.windowEnd": "06:00", "rollout.failureThresholdPercent": "", "rollout.minFinished": "" }));
    expect(input.rollout).toEqual({ perHour: "20", windowStart: "22:00", windowEnd: "06:00", failureThresholdPercent: undefined, minFinished: undefined });
    const parsed = installBatchSchema.safeParse(input);
    expect(parsed.success && parsed.data.rollout).toEqual({ perHour: 20, windowStart: "22:00", windowEnd: "06:00" });
  });

  it("an empty 'jobs per hour' is named in the form's words", () => {
    const parsed = installBatchSchema.safeParse(installInputFromForm(form({ ...base, gradual: "on" })));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["rollout.perHour", "Release between 1 and 10,000 jobs an hour, a whole number."]]);
  });
});

/** The Installation window's fields as the install schema reads them (the form and its server action share it). Pure. */
import { selectionFromForm } from "@/lib/devices/selection-form";

export function installInputFromForm(formData: FormData): Record<string, unknown> {
  const get = (name: string) => {
    const v = formData.get(name);
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const method = get("method");
  return {
    softwareId: get("softwareId"),
    method,
    fallbackMethod: method === "OMA_DM" ? get("fallbackMethod") : undefined,
    skipExisting: formData.get("skipExisting") === "on",
    // Field names are the schema's paths, so its messages land beside their fields.
    rollout:
      formData.get("gradual") === "on"
        ? {
            perHour: get("rollout.perHour"),
            windowStart: get("rollout.windowStart"),
            windowEnd: get("rollout.windowEnd"),
            failureThresholdPercent: get("rollout.failureThresholdPercent"),
            minFinished: get("rollout.minFinished"),
          }
        : undefined,
    ...selectionFromForm(formData),
  };
}

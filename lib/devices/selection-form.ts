/**
 * A device selection carried by a console form (components/devices/selection-fields.tsx writes
 * it) back into the input the services' schema reads. Pure; the services validate it.
 */
/** What a form carries: the devices picked on a page, a devices-list filter, or a group. */
export type FormSelection = { kind: "uuids"; uuids: string[] } | { kind: "filter"; filter: string } | { kind: "group"; groupId: number };

export function selectionFromForm(formData: FormData): Record<string, unknown> {
  switch (formData.get("selection")) {
    case "group":
      return { groupId: formData.get("groupId") ?? undefined };
    case "filter":
      // "" is a filter too: every device.
      return { deviceFilter: String(formData.get("deviceFilter") ?? "") };
    case "uuids":
      return { deviceUuids: formData.getAll("deviceUuids").filter((v): v is string => typeof v === "string") };
    default:
      return {};
  }
}

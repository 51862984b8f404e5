/** What creating a device group asks for (the service, and the form before it submits). Pure. */
import { z } from "zod";

const groupName = z.string({ error: "Name the group." }).trim().min(1, "Name the group.").max(100, "At most 100 characters.");

export const newGroupSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("STATIC"), name: groupName }),
  z.strictObject({
    kind: z.literal("FILTER"),
    name: groupName,
    /** The devices list's query string (without "?"); validated again wherever it is used. */
    filter: z.string({ error: "Enter the filter: the devices list's address after the ?." }).trim().max(2000, "At most 2000 characters.").transform((v) => v.replace(/^\?/, "")),
  }),
], { error: "Choose a static group or a saved filter." });

/** The new-group form's fields as the schema reads them (the form and its server action share it). */
export function groupInput(formData: FormData): Record<string, unknown> {
  const get = (name: string) => (typeof formData.get(name) === "string" ? String(formData.get(name)) : undefined);
  const kind = get("kind");
  return kind === "FILTER" ? { name: get("name"), kind, filter: get("filter") ?? "" } : { name: get("name"), kind };
}

/** What a console user is made of, validated the same way in forms, actions and the API. */
import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth-limits";
import { ROLES } from "@/lib/auth/roles-public";

export const passwordSchema = z
  .string({ error: "Enter a password." })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(256, "Use at most 256 characters.");

export const roleSchema = z.enum(ROLES, { error: "Choose Admin, Superuser or Read-only." });

export const newUserSchema = z.strictObject({
  email: z.email({ error: "Enter a valid email address." }).trim().toLowerCase().max(320),
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(200),
  role: roleSchema,
  password: passwordSchema,
});
export type NewUser = z.infer<typeof newUserSchema>;

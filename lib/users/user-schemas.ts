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

/** One's own password change: the current one is checked by the service, not here. */
export const changePasswordSchema = z.strictObject({
  currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
  newPassword: passwordSchema,
});

/** A long-lived API token for a user (often a service account). */
export const newApiTokenSchema = z.strictObject({
  userId: z.string({ error: "Choose a user." }).min(1, "Choose a user."),
  name: z.string({ error: "Name the token." }).trim().min(1, "Name the token.").max(100),
});

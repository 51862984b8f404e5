/** The sign-in input, shared by the form, POST /api/v1/sessions and the OpenAPI document. */
import { z } from "zod";

export const signInSchema = z.strictObject({
  email: z.string({ error: "Enter your email address." }).trim().min(1, "Enter your email address.").max(320),
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(256),
});
export type SignInInput = z.infer<typeof signInSchema>;

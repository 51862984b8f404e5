/** Role names and labels without the access-control machinery, for client components. */
export const ROLES = ["admin", "superuser", "readonly"] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = { admin: "Admin", superuser: "Superuser", readonly: "Read-only" };

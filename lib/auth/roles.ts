/**
 * The three console roles and what each may do, as better-auth access-control statements.
 * Pure: `can()` answers from the role alone, so a page, a server action and an API route all
 * ask the same question without a database round trip.
 *
 * - Admin: everything, including users, API tokens and server settings.
 * - Superuser: devices, software, jobs and installs; not users or server settings.
 * - Read-only: sees everything, changes nothing.
 */
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/admin/access";
import { ROLE_LABELS, ROLES, type Role } from "./roles-public";

export { ROLE_LABELS, ROLES, type Role };

export const statements = {
  ...defaultStatements,
  device: ["read", "write"],
  software: ["read", "write"],
  /** Install, retry, cancel and remove installation jobs. */
  job: ["read", "write"],
  log: ["read"],
  audit: ["read"],
  settings: ["read", "write"],
  apiToken: ["write"],
} as const;

export const ac = createAccessControl(statements);

const readEverything = {
  device: ["read"],
  software: ["read"],
  job: ["read"],
  log: ["read"],
  audit: ["read"],
  settings: ["read"],
} as const;

/** Each role is the one below it plus what it adds, so a new resource is granted in one place. */
const manageTheFleet = { ...readEverything, device: ["read", "write"], software: ["read", "write"], job: ["read", "write"] } as const;

export const roles: Record<Role, ReturnType<typeof ac.newRole>> = {
  admin: ac.newRole({ ...adminAc.statements, ...manageTheFleet, settings: ["read", "write"], apiToken: ["write"] }),
  superuser: ac.newRole(manageTheFleet),
  readonly: ac.newRole(readEverything),
};

type Statements = typeof statements;
export type Permission = { [K in keyof Statements]?: Statements[K][number][] };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && Object.hasOwn(roles, value);
}

/** Whether `role` may do everything `permission` names. An unknown role may do nothing. */
export function can(role: string | null | undefined, permission: Permission): boolean {
  if (!isRole(role)) return false;
  return roles[role].authorize(permission as never).success;
}

/** "device:write" style text for error messages and the audit trail. */
export function describePermission(permission: Permission): string {
  return Object.entries(permission)
    .map(([resource, actions]) => (actions ?? []).map((a) => `${resource}:${a}`).join(", "))
    .join(", ");
}

/**
 * Who is acting: the signed-in user of a console request or the owner of an API token, with
 * the address and client it came from. Every service that changes something takes an Actor,
 * checks its permission (`assertCan`) and records it in the audit trail, so a page, a server
 * action and an API route cannot disagree about who may do what.
 */
import { AppError } from "@/lib/errors";
import { can, describePermission, isRole, ROLE_LABELS, type Permission, type Role } from "./roles";

export type Actor = {
  userId: string;
  email: string;
  name: string;
  /** null when the stored role is not one this version knows: such a user may do nothing. */
  role: Role | null;
  via: "console" | "api" | "system";
  ipAddress: string | null;
  userAgent: string | null;
};

/** Start-up and housekeeping: changes nobody asked for in a request. */
export const SYSTEM_ACTOR: Actor = { userId: "", email: "", name: "DeployDesk", role: "admin", via: "system", ipAddress: null, userAgent: null };

export function actorRole(role: string | null | undefined): Role | null {
  return isRole(role) ? role : null;
}

export function actorCan(actor: Actor, permission: Permission): boolean {
  return can(actor.role, permission);
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!actorCan(actor, permission)) {
    const role = actor.role ? ROLE_LABELS[actor.role] : "a user without a known role";
    throw new AppError("FORBIDDEN", `${role} may not do this (needs ${describePermission(permission)}).`);
  }
}

/**
 * The signed-in user of a console request (server components, server actions and route
 * handlers in the browser's session). Each page and action asks for itself; no layout or proxy
 * check is relied on, because Next renders and runs them independently.
 */
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { actorCan, actorRole, type Actor } from "./actor";
import { CLIENT_ADDRESS_HEADER, REQUEST_PATH_HEADER } from "@/lib/server/trusted-headers";
import { auth } from "./auth";
import type { Permission } from "./roles";

export async function actorFromHeaders(h: Headers, via: Actor["via"] = "console"): Promise<Actor | null> {
  const session = await (await auth()).api.getSession({ headers: h });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: string | null };
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: actorRole(user.role),
    via,
    ipAddress: h.get(CLIENT_ADDRESS_HEADER),
    userAgent: h.get("user-agent"),
  };
}

export async function currentActor(): Promise<Actor | null> {
  return actorFromHeaders(await headers());
}

/** A local path to come back to after signing in; anything else (another origin, //x) is dropped. */
export function safeReturnPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\") || raw.startsWith("/login")) return "/devices";
  return raw;
}

/** Pages and actions: the signed-in user, or a redirect to the sign-in page (and back). */
export async function requireActor(permission?: Permission): Promise<Actor> {
  const h = await headers();
  const actor = await actorFromHeaders(h);
  if (!actor) {
    const back = safeReturnPath(h.get(REQUEST_PATH_HEADER));
    redirect(back === "/devices" ? "/login" : `/login?next=${encodeURIComponent(back)}`);
  }
  if (permission && !actorCan(actor, permission)) forbidden();
  return actor;
}

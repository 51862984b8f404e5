import Link from "next/link";
import type { ReactNode } from "react";
import { actorCan } from "@/lib/auth/actor";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { signOutAction } from "../(auth)/login/actions";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // Only for the header: every page and action below checks the user again itself.
  const actor = await requireActor();
  const links: [string, string, boolean][] = [
    ["/devices", "Devices", true],
    ["/groups", "Groups", true],
    ["/jobs", "Jobs", actorCan(actor, { job: ["read"] })],
    ["/outbox", "Outbox", actorCan(actor, { job: ["read"] })],
    ["/software", "Software", actorCan(actor, { software: ["read"] })],
    ["/install", "Install", actorCan(actor, { job: ["write"] })],
    ["/log", "Log", actorCan(actor, { log: ["read"] })],
    ["/audit", "Audit trail", actorCan(actor, { audit: ["read"] })],
    ["/settings", "Settings", actorCan(actor, { settings: ["read"] })],
    ["/users", "Users", actorCan(actor, { user: ["list"] })],
  ];
  return (
    <>
      <header className="topbar">
        <Link href="/devices" className="brand">
          DeployDesk
        </Link>
        <nav aria-label="Main">
          {links
            .filter(([, , shown]) => shown)
            .map(([href, label]) => (
              <Link key={href} href={href}>
                {label}
              </Link>
            ))}
        </nav>
        <div className="user-menu">
          <Link href="/account" title="Your account" data-testid="signed-in-as">
            {actor.email}
          </Link>
          <span className="role-badge">{actor.role ? ROLE_LABELS[actor.role] : "No role"}</span>
          <form action={signOutAction}>
            <button type="submit" className="link-button">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="main">{children}</main>
    </>
  );
}

import { ApiTokens } from "@/components/users/api-tokens";
import { NewUserForm } from "@/components/users/new-user-form";
import { UsersTable } from "@/components/users/users-table";
import { requireActor } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { listConsoleUsers } from "@/lib/users/manage-users";

export const dynamic = "force-dynamic";
export const metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requireActor({ user: ["list"] });
  const [users, tokens] = await Promise.all([listConsoleUsers(actor), listApiTokens(actor)]);
  return (
    <>
      <h1>Users</h1>
      <p className="muted">
        Admins manage users and server settings; Superusers manage devices, software and installations; Read-only users see everything and change
        nothing. Disabling a user or setting their password ends their sessions at once.
      </p>
      <UsersTable users={users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString(), isYou: u.id === actor.userId }))} />
      <h2>Add a user</h2>
      <NewUserForm />
      <h2>API tokens</h2>
      <p className="muted">
        For automation through the JSON API (<a href="/api/v1/openapi.json">its OpenAPI document</a>): send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts
        with its user&apos;s current role; revoking it, or disabling the user, stops it at once.
      </p>
      <ApiTokens
        users={users.filter((u) => !u.disabled).map((u) => ({ id: u.id, email: u.email }))}
        tokens={tokens.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null }))}
      />
    </>
  );
}

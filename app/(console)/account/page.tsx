import { ChangePasswordForm } from "@/components/users/change-password-form";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await requireActor();
  return (
    <>
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{actor.email}</dd>
        <dt>Name</dt>
        <dd>{actor.name}</dd>
        <dt>Role</dt>
        <dd>{actor.role ? ROLE_LABELS[actor.role] : "No role (ask an Admin)"}</dd>
      </dl>
      <h2>Change your password</h2>
      <ChangePasswordForm />
    </>
  );
}

import { NewGroupForm } from "@/components/groups/group-forms";
import { GroupsTable } from "@/components/groups/groups-table";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { listGroups } from "@/lib/devices/device-groups";

export const dynamic = "force-dynamic";
export const metadata = { title: "Device groups" };

export default async function GroupsPage() {
  const actor = await requireActor({ device: ["read"] });
  const groups = await listGroups();
  return (
    <>
      <h1>Device groups</h1>
      <p className="muted">Static groups hold the devices added to them; saved filters hold whatever matches their devices-list filter when they are used.</p>
      <GroupsTable groups={groups} />
      {actorCan(actor, { device: ["write"] }) ? (
        <>
          <h2>Create a group</h2>
          <NewGroupForm />
        </>
      ) : null}
    </>
  );
}

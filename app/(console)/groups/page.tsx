import Link from "next/link";
import { EmptyRow } from "@/components/data-table/empty-row";
import { formatDateTime } from "@/components/format";
import { NewGroupForm } from "@/components/groups/group-forms";
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
      <div className="table-scroll">
        <table className="data-table" data-testid="groups">
          <caption>Groups</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Devices</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {groups.length === 0 ? (
              <EmptyRow columns={4} text="No groups yet." />
            ) : (
              groups.map((g) => (
                <tr key={g.id}>
                  <td>
                    <Link href={`/groups/${g.id}`}>{g.name}</Link>
                  </td>
                  <td>{g.kind === "STATIC" ? "Static" : "Saved filter"}</td>
                  <td>{g.kind === "STATIC" ? g.memberCount : <Link href={`/devices?${g.filter ?? ""}`}>what matches</Link>}</td>
                  <td>
                    {formatDateTime(g.createdAt)}
                    {g.createdBy ? ` by ${g.createdBy}` : ""}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {actorCan(actor, { device: ["write"] }) ? (
        <>
          <h2>Create a group</h2>
          <NewGroupForm />
        </>
      ) : null}
    </>
  );
}

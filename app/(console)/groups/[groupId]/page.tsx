import Link from "next/link";
import { EmptyRow } from "@/components/data-table/empty-row";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format";
import { AddMembersForm, DeleteGroupButton, RemoveMemberButton } from "@/components/groups/group-forms";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { getGroup, listGroupMembers } from "@/lib/devices/device-groups";

export const dynamic = "force-dynamic";
export const metadata = { title: "Device group" };

type Props = { params: Promise<{ groupId: string }>; searchParams: Promise<{ after?: string }> };

export default async function GroupPage({ params, searchParams }: Props) {
  const actor = await requireActor({ device: ["read"] });
  const group = await getGroup(Number((await params).groupId));
  if (!group) notFound();
  const canEdit = actorCan(actor, { device: ["write"] });
  const canInstall = actorCan(actor, { job: ["write"] });
  const after = Number((await searchParams).after ?? 0);
  const page = group.kind === "STATIC" ? await listGroupMembers(group.id, Number.isSafeInteger(after) && after > 0 ? after : 0) : null;
  return (
    <>
      <p>
        <Link href="/groups">← Device groups</Link>
      </p>
      <h1>{group.name}</h1>
      <p className="button-row">
        <Link href={`/devices?group=${group.id}`}>Show in the devices list</Link>
        {canInstall ? (
          <Link className="button-link" href={`/install?group=${group.id}`}>
            Install software on this group…
          </Link>
        ) : null}
      </p>
      {group.kind === "FILTER" ? (
        <p>
          Saved filter: <code>{group.filter || "(every device)"}</code> — <Link href={`/devices?${group.filter ?? ""}`}>show the devices that match now</Link>.
        </p>
      ) : (
        <>
          <p className="muted">{group.memberCount} devices.</p>
          <div className="table-scroll">
            <table className="data-table" data-testid="group-members">
              <caption>Members</caption>
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">UUID</th>
                  <th scope="col">Platform</th>
                  <th scope="col">Added</th>
                  {canEdit ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {page!.members.length === 0 ? (
                  <EmptyRow columns={canEdit ? 5 : 4} text="No devices in this group." />
                ) : (
                  page!.members.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <Link href={`/devices/${encodeURIComponent(m.deviceUuid)}`}>{m.name}</Link>
                      </td>
                      <td className="mono">{m.deviceUuid}</td>
                      <td>{m.platform ?? "—"}</td>
                      <td>{formatDateTime(m.addedAt)}</td>
                      {canEdit ? (
                        <td>
                          <RemoveMemberButton groupId={group.id} deviceId={m.id} label={m.name} />
                        </td>
                      ) : null}
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          {page!.next ? (
            <p>
              <Link href={`/groups/${group.id}?after=${page!.next}`}>Next devices →</Link>
            </p>
          ) : null}
          {canEdit ? <AddMembersForm groupId={group.id} /> : null}
        </>
      )}
      {canEdit ? <DeleteGroupButton groupId={group.id} name={group.name} /> : null}
    </>
  );
}

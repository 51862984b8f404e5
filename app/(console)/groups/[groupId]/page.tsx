import Link from "next/link";
import { notFound } from "next/navigation";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { AddMembersForm, DeleteGroupButton } from "@/components/groups/group-forms";
import { GroupMembersTable } from "@/components/groups/groups-table";
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
          <GroupMembersTable groupId={group.id} members={page!.members} canEdit={canEdit} />
          <DataTablePagination
            summary={`${page!.members.length} ${page!.members.length === 1 ? "device" : "devices"} on this page`}
            firstHref={after > 0 ? `/groups/${group.id}` : null}
            previousHref={null}
            nextHref={page!.next ? `/groups/${group.id}?after=${page!.next}` : null}
          />
          {canEdit ? <AddMembersForm groupId={group.id} /> : null}
        </>
      )}
      {canEdit ? <DeleteGroupButton groupId={group.id} name={group.name} /> : null}
    </>
  );
}

"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { groupInput } from "@/lib/devices/device-group-schema";
import { addToGroup, createGroup, deleteGroup, parseUuidList, removeFromGroup } from "@/lib/devices/device-groups";

export async function createGroupAction(_: FormState, formData: FormData): Promise<FormState> {
  let id = 0;
  const state = await runAction(async (actor) => {
    const group = await createGroup(actor, groupInput(formData));
    id = group.id;
    return `Created ${group.name}.`;
  }, formData);
  if (id) redirect(`/groups/${id}`);
  return state;
}

export async function addMembersAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { groupId, uuids } = formInput(formData);
    const { added } = await addToGroup(actor, Number(groupId), { uuids: parseUuidList(uuids ?? "") });
    revalidatePath(`/groups/${groupId}`);
    return `${added} device${added === 1 ? "" : "s"} added.`;
  }, formData);
}

export async function removeMemberAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { groupId, deviceId } = formInput(formData);
    await removeFromGroup(actor, Number(groupId), [Number(deviceId)]);
    revalidatePath(`/groups/${groupId}`);
    return "Removed from the group.";
  });
}

export async function deleteGroupAction(_: FormState, formData: FormData): Promise<FormState> {
  const state = await runAction(async (actor) => {
    await deleteGroup(actor, Number(formInput(formData).groupId));
    return "Deleted.";
  });
  if (state.status === "ok") redirect("/groups");
  return state;
}

"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { addSelectionToGroup, createGroup } from "@/lib/devices/device-groups";
import { selectionFromForm } from "@/lib/devices/selection-form";
import { cancelUnfinishedJobsAs } from "@/lib/installation-jobs/job-actions";

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export async function cancelUnfinishedAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const { cancelled, devices } = await cancelUnfinishedJobsAs(actor, selectionFromForm(formData));
    revalidatePath("/devices");
    return cancelled === 0 ? `None of the ${plural(devices, "device")} had an unfinished job.` : `Cancelled ${plural(cancelled, "unfinished job")} on ${plural(devices, "device")}.`;
  });
}

export async function addSelectionToGroupAction(_: FormState, formData: FormData): Promise<FormState> {
  return runAction(async (actor) => {
    const groupId = Number(formInput(formData).targetGroupId);
    const { added } = await addSelectionToGroup(actor, groupId, selectionFromForm(formData));
    revalidatePath(`/groups/${groupId}`);
    return `${plural(added, "device")} added to the group.`;
  }, formData);
}

/** "Save as group": the list's current filters become a saved-filter group. */
export async function saveFilterAction(_: FormState, formData: FormData): Promise<FormState> {
  let id = 0;
  const state = await runAction(async (actor) => {
    const { name } = formInput(formData);
    const group = await createGroup(actor, { kind: "FILTER", name, filter: String(formData.get("filter") ?? "") });
    id = group.id;
    return `Saved as ${group.name}.`;
  }, formData);
  if (id) redirect(`/groups/${id}`);
  return state;
}

"use server";
import { redirect } from "next/navigation";
import { actionOrigin } from "@/lib/actions/action-origin";
import { formInput, type FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { selectionFromForm } from "@/lib/devices/selection-form";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";

/** The Installation window's submit: the jobs in one transaction, then the batch's status view. */
export async function installAction(_: FormState, formData: FormData): Promise<FormState> {
  let batchId = 0;
  const state = await runAction(async (actor) => {
    const f = formInput(formData);
    const devices = selectionFromForm(formData);
    const batch = await createInstallBatch(
      actor,
      { softwareId: f.softwareId, method: f.method, fallbackMethod: f.method === "OMA_DM" ? f.fallbackMethod : undefined, skipExisting: f.skipExisting === "on", ...devices },
      await actionOrigin(),
    );
    batchId = batch.batchId;
    return `${batch.jobs.length} installation jobs created.`;
  }, formData);
  if (batchId) redirect(`/batches/${batchId}`);
  return state;
}

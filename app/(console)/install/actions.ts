"use server";
import { redirect } from "next/navigation";
import { actionOrigin } from "@/lib/actions/action-origin";
import type { FormState } from "@/lib/actions/form-state";
import { runAction } from "@/lib/actions/run-action";
import { installInputFromForm } from "@/lib/installation-jobs/install-form";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";

/** The Installation window's submit: the jobs in one transaction, then the batch's status view. */
export async function installAction(_: FormState, formData: FormData): Promise<FormState> {
  let batchId = 0;
  const state = await runAction(async (actor) => {
    const batch = await createInstallBatch(actor, installInputFromForm(formData), await actionOrigin());
    batchId = batch.batchId;
    return `${batch.jobs.length} installation jobs created.`;
  }, formData);
  if (batchId) redirect(`/batches/${batchId}`);
  return state;
}

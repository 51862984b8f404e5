/** POST /api/v1/batches/{id}/resume: a paused gradual installation goes on releasing. */
import { apiRoute } from "@/lib/api/route";
import { batchIdParam, rolloutAnswer } from "@/lib/installation-jobs/rollout-api";
import { resumeBatchAs } from "@/lib/installation-jobs/rollout";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ batchId: string }>({ job: ["write"] }, async ({ actor, params }) => {
  const id = batchIdParam(params.batchId);
  await resumeBatchAs(actor, id);
  return rolloutAnswer(id);
});

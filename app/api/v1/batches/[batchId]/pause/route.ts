/** POST /api/v1/batches/{id}/pause: a gradual installation releases no more jobs until resumed. */
import { apiRoute } from "@/lib/api/route";
import { batchIdParam, rolloutAnswer } from "@/lib/installation-jobs/rollout-api";
import { pauseBatchAs } from "@/lib/installation-jobs/rollout";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ batchId: string }>({ job: ["write"] }, async ({ actor, params }) => {
  const id = batchIdParam(params.batchId);
  await pauseBatchAs(actor, id);
  return rolloutAnswer(id);
});

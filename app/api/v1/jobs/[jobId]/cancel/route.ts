/** POST /api/v1/jobs/{id}/cancel: an unfinished job stops; its package leaves the device's next poll. */
import { apiRoute } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { cancelJobAs } from "@/lib/installation-jobs/job-actions";
import { jobView } from "@/lib/installation-jobs/job-view";
import { getJob } from "@/lib/installation-jobs/queries";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ jobId: string }>({ job: ["write"] }, async ({ actor, params }) => {
  const id = Number(params.jobId);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError("NOT_FOUND", `There is no installation job ${params.jobId}.`);
  await cancelJobAs(actor, id);
  return jobView((await getJob(id))!);
});

/** POST /api/v1/jobs/{id}/retry: a failed or unknown job starts over (attempt n+1). */
import { apiRoute } from "@/lib/api/route";
import { retryJobAs } from "@/lib/installation-jobs/job-actions";
import { jobView } from "@/lib/installation-jobs/job-view";
import { getJob } from "@/lib/installation-jobs/queries";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ jobId: string }>({ job: ["write"] }, async ({ request, actor, params }) => {
  const id = Number(params.jobId);
  await retryJobAs(actor, id, new URL(request.url).origin);
  return jobView((await getJob(id))!);
});

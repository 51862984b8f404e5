/** GET /api/v1/jobs/{id}: one job with its whole history. DELETE removes it. */
import { apiRoute } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { removeJobAs } from "@/lib/installation-jobs/job-actions";
import { getJob } from "@/lib/installation-jobs/queries";
import { jobView } from "@/lib/installation-jobs/job-view";
import { statusLabel } from "@/lib/installation-jobs/status-model";
import { listJobLog } from "@/lib/installation-log/queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ jobId: string }>({ job: ["read"] }, async ({ params }) => {
  const job = await getJob(Number(params.jobId));
  if (!job) throw new AppError("NOT_FOUND", `There is no installation job ${params.jobId}.`);
  const history = (await listJobLog(job.id)).map((r) => ({
    ...r,
    statusBefore: r.statusBefore && statusLabel(r.statusBefore),
    statusAfter: r.statusAfter && statusLabel(r.statusAfter),
  }));
  return { ...jobView(job), history };
});

/** DELETE /api/v1/jobs/{id}: the job leaves the device's tables and poll; its history stays in the log. */
export const DELETE = apiRoute<{ jobId: string }>({ job: ["write"] }, async ({ actor, params }) => {
  await removeJobAs(actor, Number(params.jobId));
  return new Response(null, { status: 204 });
});

/**
 * GET /api/v1/jobs?software=&state=&status=&method=&device=&batch=&sort=&dir=&cursor=&limit= → one
 * page of jobs across devices, newest first, and the cursors of the pages around it.
 * POST /api/v1/jobs { softwareId, deviceUuids | deviceFilter | groupId, method, fallbackMethod?, skipExisting? } → 201 with the created jobs.
 */
import { z } from "zod";
import { jsonResponse } from "@/lib/api/errors";
import { apiRoute, readJson } from "@/lib/api/route";
import { encodeCursor } from "@/lib/db/keyset";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";
import { jobListRowView } from "@/lib/installation-jobs/job-view";
import { listJobsPage } from "@/lib/installation-jobs/list-jobs";
import { jobListParamsOrThrow } from "@/lib/installation-jobs/list-jobs-params";
import { statusLabel, type JobStatus } from "@/lib/installation-jobs/status-model";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ job: ["read"] }, async ({ request }) => {
  const page = await listJobsPage(jobListParamsOrThrow(new URL(request.url).searchParams));
  return { jobs: page.rows.map(jobListRowView), next: page.next && encodeCursor(page.next), previous: page.previous && encodeCursor(page.previous) };
});

export const POST = apiRoute({ job: ["write"] }, async ({ request, actor }) => {
  const batch = await createInstallBatch(actor, await readJson(request, z.unknown()), new URL(request.url).origin);
  return jsonResponse({ ...batch, jobs: batch.jobs.map((j) => ({ ...j, status: statusLabel(j.status as JobStatus) })) }, 201);
});

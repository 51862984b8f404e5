/** POST /api/v1/jobs { softwareId, deviceUuids | deviceFilter | groupId, method, fallbackMethod?, skipExisting? } → 201 with the created jobs. */
import { z } from "zod";
import { jsonResponse } from "@/lib/api/errors";
import { apiRoute, readJson } from "@/lib/api/route";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";
import { statusLabel, type JobStatus } from "@/lib/installation-jobs/status-model";

export const dynamic = "force-dynamic";

export const POST = apiRoute({ job: ["write"] }, async ({ request, actor }) => {
  const batch = await createInstallBatch(actor, await readJson(request, z.unknown()), new URL(request.url).origin);
  return jsonResponse({ ...batch, jobs: batch.jobs.map((j) => ({ ...j, status: statusLabel(j.status as JobStatus) })) }, 201);
});

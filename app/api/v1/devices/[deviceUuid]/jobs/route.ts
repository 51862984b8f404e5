/** GET /api/v1/devices/{uuid}/jobs: the device's Installing and Installed jobs, in priority order. */
import { apiRoute } from "@/lib/api/route";
import { getDeviceByUuid } from "@/lib/devices/queries";
import { AppError } from "@/lib/errors";
import { listDeviceJobs } from "@/lib/installation-jobs/queries";
import { statusLabel } from "@/lib/installation-jobs/status-model";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ deviceUuid: string }>({ job: ["read"] }, async ({ params }) => {
  const uuid = decodeURIComponent(params.deviceUuid);
  const device = await getDeviceByUuid(uuid);
  if (!device) throw new AppError("NOT_FOUND", `No device ${uuid}.`);
  const jobs = await listDeviceJobs(device.id, new Date());
  const view = (j: (typeof jobs.installing)[number]) => ({ ...j, status: statusLabel(j.status) });
  return { installing: jobs.installing.map(view), installed: jobs.installed.map(view) };
});

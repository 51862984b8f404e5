/** A job as the JSON API shows it: statuses and methods by their display texts and wire names. */
import type { JobListRow } from "./list-jobs";
import type { JobDetail } from "./queries";
import { statusLabel } from "./status-model";

export function jobView(job: JobDetail) {
  const { deviceId: _internal, ...rest } = job;
  return { ...rest, status: statusLabel(job.status) };
}

/** A row of GET /api/v1/jobs. */
export function jobListRowView(row: JobListRow) {
  return { ...row, status: statusLabel(row.status) };
}

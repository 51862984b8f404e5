/** "At most one unfinished job per device and software": the check job creation and Retry share. */
import { statement, type Sql } from "@/lib/db/sql";
import { JOB_STATUSES, isFinished, type JobStatus } from "./status-model";

/** Ranks 1–3: waiting, installing, waiting for verification. Failed and unknown jobs are not unfinished: they await Retry. */
export const UNFINISHED_STATUSES: JobStatus[] = JOB_STATUSES.filter((s) => !isFinished(s) && s !== "INSTALLATION_FAILED" && s !== "UNKNOWN_STATUS");

const unfinishedJobsSql = statement<{ jobId: number; deviceId: number; deviceName: string; deviceUuid: string }>(
  "jobs_unfinished_for_devices",
  `SELECT j.id AS "jobId", j.device_id AS "deviceId", d.name AS "deviceName", d.device_uuid AS "deviceUuid"
     FROM installation_jobs j JOIN devices d ON d.id = j.device_id
    WHERE j.device_id = ANY($1::int[]) AND j.software_id = $2::int AND j.cancelled_at IS NULL
      AND j.status = ANY($3::job_status[]) AND j.id <> COALESCE($4::int, 0)
    ORDER BY j.device_id`,
);

/** The devices (of `deviceIds`) that already have an unfinished job for the software, other than `exceptJobId`. */
export function unfinishedJobs(tx: Sql, deviceIds: number[], softwareId: number, exceptJobId: number | null = null) {
  return tx.query(unfinishedJobsSql, [deviceIds, softwareId, UNFINISHED_STATUSES, exceptJobId]);
}

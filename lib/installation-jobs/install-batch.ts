/**
 * The install wizard's last step (and POST /api/v1/jobs): one software, many devices (listed,
 * every device a devices-list filter matches, or a group: device-selection.ts), one method. All
 * jobs are created in one transaction with the messages their methods call for, or, released
 * gradually (rollout.ts), the batch keeps every target and creates the first release's jobs in
 * that transaction. At most one unfinished job per device and software: devices that have one
 * are refused by name, or skipped when the caller asks to.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { sql, statement } from "@/lib/db/sql";
import { linkContext } from "@/lib/delivery/job-messages";
import { resolveDeviceSelection } from "@/lib/devices/device-selection";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validation";
import { installBatchSchema } from "./install-batch-schema";
import { createInstallJobs, lockInstallTargets, notInstallable, readInstallSoftware, type InstallOptions } from "./install-jobs";
import { startRollout } from "./rollout";
import { releasePlanOf, rolloutColumns } from "./rollout-plan";

export { installBatchSchema, MAX_BATCH_DEVICES } from "./install-batch-schema";

const createBatchSql = statement<{ id: number }>(
  "install_batch_create",
  `INSERT INTO install_batches (software_id, method, fallback_method, job_count, created_by, created_at,
                                per_hour, window_start_minute, window_end_minute, failure_threshold_percent, min_finished, target_count, link_origin)
   VALUES ($1::int, $2::install_method, $3::install_method, $4::int, $5::text, $6::timestamptz,
           $7::int, $8::smallint, $9::smallint, $10::smallint, $11::int, $12::int, $13::text) RETURNING id`,
);

export type CreatedBatch = {
  batchId: number;
  jobs: { id: number; deviceUuid: string; status: string }[];
  skipped: string[];
  /** Released gradually: how many devices it holds and when the next job is due (null: none left, or all released at once). */
  rollout: { targets: number; released: number; nextReleaseAt: string | null } | null;
};

export async function createInstallBatch(actor: Actor, input: unknown, origin = "http://localhost", now = new Date()): Promise<CreatedBatch> {
  assertCan(actor, { job: ["write"] });
  const data = parseOrThrow(installBatchSchema, input);
  const link = await linkContext(origin, now);
  const uuids = await resolveDeviceSelection(data, now);
  const rollout = data.rollout ? rolloutColumns(data.rollout) : null;
  const result = await sql().transaction(async (tx) => {
    const software = await readInstallSoftware(tx, data.softwareId);
    if (!software) throw new AppError("VALIDATION_FAILED", "No such software.", { fields: [{ field: "softwareId", message: "No such software." }] });
    const refused = notInstallable(software);
    if (refused) throw new AppError("CONFLICT", refused);
    const { devices, busy } = await lockInstallTargets(tx, software.id, { uuids });
    const unknown = uuids.filter((u) => !devices.some((d) => d.deviceUuid === u));
    if (unknown.length) {
      throw new AppError("VALIDATION_FAILED", `No device ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}.`, { fields: [{ field: "deviceUuids", message: "Unknown devices." }] });
    }
    if (busy.length && !data.skipExisting) {
      const names = busy.slice(0, 5).map((b) => `${b.deviceName} (job ${b.jobId})`).join(", ");
      throw new AppError("CONFLICT", `${busy.length} device${busy.length === 1 ? " already has" : "s already have"} an unfinished job for ${software.name}: ${names}${busy.length > 5 ? ", …" : ""}.`, {
        fields: [{ field: "deviceUuids", message: "Devices with an unfinished job for this software." }],
      });
    }
    const busyIds = new Set(busy.map((b) => b.deviceId));
    const targets = devices.filter((d) => !busyIds.has(d.id));
    if (targets.length === 0) throw new AppError("CONFLICT", `Every chosen device already has an unfinished job for ${software.name}.`);
    const [batch] = await tx.query(createBatchSql, [
      software.id,
      data.method,
      data.fallbackMethod ?? null,
      rollout ? 0 : targets.length,
      actor.email || null,
      now,
      rollout?.perHour ?? null,
      rollout?.windowStartMinute ?? null,
      rollout?.windowEndMinute ?? null,
      rollout?.failureThresholdPercent ?? null,
      rollout?.minFinished ?? null,
      rollout ? targets.length : null,
      rollout ? origin : null,
    ]);
    const opts: InstallOptions = { method: data.method, fallbackMethod: data.fallbackMethod ?? null, batchId: batch!.id, now, link };
    const skipped = busy.map((b) => b.deviceUuid);
    if (!rollout) {
      const jobs = await createInstallJobs(tx, software, targets, opts);
      return { batchId: batch!.id, jobs, skipped, softwareName: software.name, rollout: null };
    }
    // Targets in the order chosen (a filter's or group's devices come in id order).
    const byUuid = new Map(targets.map((d) => [d.deviceUuid, d]));
    const ordered = uuids.flatMap((u) => byUuid.get(u) ?? []);
    const started = await startRollout(tx, releasePlanOf(rollout), software, ordered, opts);
    return {
      batchId: batch!.id,
      jobs: started.jobs,
      skipped,
      softwareName: software.name,
      rollout: { targets: ordered.length, released: started.jobs.length, nextReleaseAt: started.nextReleaseAt?.toISOString() ?? null },
    };
  });
  await recordAudit(actor, "job.install", { type: "batch", id: result.batchId }, {
    software: result.softwareName,
    method: data.method,
    fallbackMethod: data.fallbackMethod ?? null,
    jobs: result.jobs.length,
    skipped: result.skipped.length,
    ...(rollout && result.rollout ? { gradually: { ...rollout, devices: result.rollout.targets } } : {}),
  });
  return {
    batchId: result.batchId,
    jobs: result.jobs.map((j) => ({ id: j.id, deviceUuid: j.deviceUuid, status: j.status })),
    skipped: result.skipped,
    rollout: result.rollout,
  };
}

/**
 * The install wizard's last step (and POST /api/v1/jobs): one software, many devices (listed,
 * every device a devices-list filter matches, or a group: device-selection.ts), one method, all jobs created in one transaction with the messages their methods call for. At
 * most one unfinished job per device and software: devices that have one are refused by name,
 * or skipped when the caller asks to.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { sql, statement } from "@/lib/db/sql";
import { handOver, type OutboundMessageInput } from "@/lib/delivery/delivery";
import { linkContext, messageForJob } from "@/lib/delivery/job-messages";
import { resolveDeviceSelection } from "@/lib/devices/device-selection";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validation";
import { createJob } from "./job-writer";
import { installBatchSchema } from "./install-batch-schema";
import { unfinishedJobs } from "./unfinished";

export { installBatchSchema, MAX_BATCH_DEVICES } from "./install-batch-schema";

const softwareSql = statement<{ id: number; name: string; fileName: string | null; packageId: string; storageKey: string | null; withdrawn: boolean }>(
  "install_batch_software",
  `SELECT id, name || ' ' || version AS name, file_name AS "fileName", package_id AS "packageId", storage_key AS "storageKey", withdrawn_at IS NOT NULL AS withdrawn
     FROM software WHERE id = $1::int`,
);
const lockDevicesSql = statement<{ id: number; deviceUuid: string; phoneNumber: string | null }>(
  "install_batch_lock_devices",
  // Id order, as every writer locks devices, so two batches cannot deadlock.
  `SELECT id, device_uuid AS "deviceUuid", phone_number AS "phoneNumber" FROM devices WHERE device_uuid = ANY($1::text[]) ORDER BY id FOR UPDATE`,
);
const createBatchSql = statement<{ id: number }>(
  "install_batch_create",
  `INSERT INTO install_batches (software_id, method, fallback_method, job_count, created_by, created_at)
   VALUES ($1::int, $2::install_method, $3::install_method, $4::int, $5::text, $6::timestamptz) RETURNING id`,
);

export type CreatedBatch = { batchId: number; jobs: { id: number; deviceUuid: string; status: string }[]; skipped: string[] };

export async function createInstallBatch(actor: Actor, input: unknown, origin = "http://localhost", now = new Date()): Promise<CreatedBatch> {
  assertCan(actor, { job: ["write"] });
  const data = parseOrThrow(installBatchSchema, input);
  const link = await linkContext(origin, now);
  const uuids = await resolveDeviceSelection(data, now);
  const result = await sql().transaction(async (tx) => {
    const [software] = await tx.query(softwareSql, [data.softwareId]);
    if (!software) throw new AppError("VALIDATION_FAILED", "No such software.", { fields: [{ field: "softwareId", message: "No such software." }] });
    if (software.withdrawn) throw new AppError("CONFLICT", `${software.name} is withdrawn.`);
    if (!software.storageKey) throw new AppError("CONFLICT", `${software.name} has no package file to install.`);
    const devices = await tx.query(lockDevicesSql, [uuids]);
    const unknown = uuids.filter((u) => !devices.some((d) => d.deviceUuid === u));
    if (unknown.length) {
      throw new AppError("VALIDATION_FAILED", `No device ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}.`, { fields: [{ field: "deviceUuids", message: "Unknown devices." }] });
    }
    const busy = await unfinishedJobs(tx, devices.map((d) => d.id), software.id);
    if (busy.length && !data.skipExisting) {
      const names = busy.slice(0, 5).map((b) => `${b.deviceName} (job ${b.jobId})`).join(", ");
      throw new AppError("CONFLICT", `${busy.length} device${busy.length === 1 ? " already has" : "s already have"} an unfinished job for ${software.name}: ${names}${busy.length > 5 ? ", …" : ""}.`, {
        fields: [{ field: "deviceUuids", message: "Devices with an unfinished job for this software." }],
      });
    }
    const busyIds = new Set(busy.map((b) => b.deviceId));
    const targets = devices.filter((d) => !busyIds.has(d.id));
    if (targets.length === 0) throw new AppError("CONFLICT", `Every chosen device already has an unfinished job for ${software.name}.`);
    const [batch] = await tx.query(createBatchSql, [software.id, data.method, data.fallbackMethod ?? null, targets.length, actor.email || null, now]);
    const facts = { softwareId: software.id, softwareName: software.name, fileName: software.fileName, fallbackPlan: data.fallbackMethod ?? null };
    const jobs: CreatedBatch["jobs"] = [];
    const messages: OutboundMessageInput[] = [];
    for (const device of targets) {
      const job = await createJob(tx, { deviceId: device.id, softwareId: software.id, method: data.method, now, batchId: batch!.id, fallbackPlan: data.fallbackMethod ?? null });
      jobs.push({ id: job.id, deviceUuid: device.deviceUuid, status: job.status });
      const message = messageForJob({ id: job.id, deviceId: device.id, status: job.status, method: data.method, fallbackMethod: null, packageId: software.packageId }, facts, device, link);
      if (message) messages.push(message);
    }
    await handOver(tx, messages, now);
    return { batchId: batch!.id, jobs, skipped: busy.map((b) => b.deviceUuid), softwareName: software.name };
  });
  await recordAudit(actor, "job.install", { type: "batch", id: result.batchId }, { software: result.softwareName, method: data.method, fallbackMethod: data.fallbackMethod ?? null, jobs: result.jobs.length, skipped: result.skipped.length });
  return { batchId: result.batchId, jobs: result.jobs, skipped: result.skipped };
}

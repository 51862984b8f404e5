/**
 * Sending a message again, from the console or the API: a push job's link (a new ticket, with the
 * full lifetime: the old link may have expired, which is the usual reason to resend) or a
 * device's bootstrap while it is still under way. The new message replaces the ones still
 * waiting to go out, so a gateway coming back does not deliver both.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { sql, statement } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { lockJobWithDevice } from "@/lib/installation-jobs/job-writer";
import { statusLabel } from "@/lib/installation-jobs/status-model";
import { handOver } from "./delivery";
import { jobMessageFacts, linkContext, messageForJob } from "./job-messages";
import { cancelOpenMessages } from "./outbox";

const messageSql = statement<{ kind: string; jobId: number | null; deviceId: number; server: string | null }>(
  "resend_message",
  `SELECT kind::text, job_id AS "jobId", device_id AS "deviceId", content->>'server' AS server FROM outbound_messages WHERE id = $1::bigint`,
);
const lockDeviceSql = statement<{ id: number; deviceUuid: string; phoneNumber: string | null; bootstrapped: boolean; bootstrapRequestedAt: Date | null }>(
  "resend_lock_device",
  `SELECT id, device_uuid AS "deviceUuid", phone_number AS "phoneNumber", oma_dm_bootstrapped AS bootstrapped, bootstrap_requested_at AS "bootstrapRequestedAt" FROM devices WHERE id = $1::int FOR UPDATE`,
);
const restartBootstrapSql = statement("resend_restart_bootstrap", `UPDATE devices SET bootstrap_requested_at = NULL WHERE id = $1::int`);

/** Sends a job's download link again; returns the new message's id. */
export async function resendJobLink(actor: Actor, jobId: number, origin = "http://localhost", now = new Date()): Promise<string> {
  assertCan(actor, { job: ["write"] });
  const link = await linkContext(origin, now);
  const id = await sql().transaction(async (tx) => {
    const locked = await lockJobWithDevice(tx, jobId);
    if (!locked) throw new AppError("NOT_FOUND", `There is no installation job ${jobId}.`);
    const { job, device } = locked;
    if (job.cancelledAt) throw new AppError("CONFLICT", "The job is cancelled: nothing is sent for it.");
    const facts = (await jobMessageFacts(tx, [jobId])).get(jobId)!;
    const message = messageForJob(job, facts, device, link);
    if (!message || message.kind === "BOOTSTRAP") {
      const why = job.status === "WAITING_FOR_DOWNLOAD" ? "its method sends no link (the device takes it at its next poll)" : `it is ${statusLabel(job.status)}${job.status === "INSTALLATION_FAILED" || job.status === "UNKNOWN_STATUS" ? ": retry the job instead" : ""}`;
      throw new AppError("CONFLICT", `The job's link cannot be sent again: ${why}.`);
    }
    await cancelOpenMessages(tx, { jobId }, "a newer message replaces it", now);
    const [created] = await handOver(tx, [message], now);
    return created!;
  });
  await recordAudit(actor, "message.resent", { type: "job", id: jobId }, { message: id });
  return id;
}

/** Sends a message again: a job's link through resendJobLink, a device's bootstrap while it is under way. */
export async function resendMessage(actor: Actor, messageId: string, origin?: string, now = new Date()): Promise<string> {
  assertCan(actor, { job: ["write"] });
  const [message] = /^\d{1,18}$/.test(messageId) ? await sql().query(messageSql, [messageId]) : [];
  if (!message) throw new AppError("NOT_FOUND", `There is no message ${messageId}.`);
  if (message.kind !== "BOOTSTRAP") {
    if (message.jobId === null) throw new AppError("CONFLICT", "Its job was removed: there is no link to send.");
    return resendJobLink(actor, message.jobId, origin ?? message.server ?? undefined, now);
  }
  const link = await linkContext(origin ?? message.server ?? "http://localhost", now);
  const id = await sql().transaction(async (tx) => {
    const [device] = await tx.query(lockDeviceSql, [message.deviceId]);
    if (!device) throw new AppError("NOT_FOUND", `There is no message ${messageId}.`);
    if (device.bootstrapped || device.bootstrapRequestedAt === null) {
      throw new AppError("CONFLICT", "The device's bootstrap is settled: send a new one from the device page.");
    }
    await cancelOpenMessages(tx, { deviceId: device.id, kind: "BOOTSTRAP" }, "a newer bootstrap replaces it", now);
    // The resent bootstrap is the one under way from now on (its timeout starts again).
    await tx.query(restartBootstrapSql, [device.id]);
    const [created] = await handOver(tx, [{ kind: "BOOTSTRAP", jobId: message.jobId, deviceId: device.id, recipient: device.phoneNumber, content: { server: link.baseUrl } }], now);
    return { created: created!, deviceUuid: device.deviceUuid };
  });
  await recordAudit(actor, "message.resent", { type: "device", id: id.deviceUuid }, { message: id.created });
  return id.created;
}

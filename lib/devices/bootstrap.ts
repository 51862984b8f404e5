/**
 * A device's OMA DM bootstrap, as an administrator drives it until the OMA DM session endpoint
 * exists (roadmap step 4): send one, or mark the device bootstrapped or its bootstrap failed.
 * Marking moves every job waiting for the bootstrap through the job writer, in the same
 * transaction: on success to Installing software, on failure to its planned download-link
 * method, whose link goes to the delivery layer there and then.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { sql, statement } from "@/lib/db/sql";
import { handOver, type OutboundMessageInput } from "@/lib/delivery/delivery";
import { jobMessageFacts, linkContext, messageForJob } from "@/lib/delivery/job-messages";
import { AppError } from "@/lib/errors";
import { applyEvent, lockJobsWithStatus } from "@/lib/installation-jobs/job-writer";

const lockDeviceSql = statement<{ id: number; clientVersion: string | null; phoneNumber: string | null }>(
  "bootstrap_lock_device",
  `SELECT id, client_version AS "clientVersion", phone_number AS "phoneNumber" FROM devices WHERE device_uuid = $1::text FOR UPDATE`,
);
const setBootstrappedSql = statement<{ id: number }>("bootstrap_set_device", `UPDATE devices SET oma_dm_bootstrapped = $2::boolean, updated_at = $3::timestamptz WHERE id = $1::int RETURNING id`);

export async function sendBootstrap(actor: Actor, deviceUuid: string, origin = "http://localhost", now = new Date()): Promise<void> {
  assertCan(actor, { device: ["write"] });
  const link = await linkContext(origin, now);
  await sql().transaction(async (tx) => {
    const [device] = await tx.query(lockDeviceSql, [deviceUuid]);
    if (!device) throw new AppError("NOT_FOUND", `No device ${deviceUuid}.`);
    await handOver(tx, [{ kind: "BOOTSTRAP", jobId: null, deviceId: device.id, recipient: device.phoneNumber, content: { server: link.baseUrl } }], now);
  });
  await recordAudit(actor, "device.bootstrap_sent", { type: "device", id: deviceUuid });
}

/** Returns how many waiting jobs moved. */
export async function markBootstrap(actor: Actor, deviceUuid: string, succeeded: boolean, origin = "http://localhost", now = new Date()): Promise<number> {
  assertCan(actor, { device: ["write"] });
  const link = await linkContext(origin, now);
  const moved = await sql().transaction(async (tx) => {
    const [device] = await tx.query(lockDeviceSql, [deviceUuid]);
    if (!device) throw new AppError("NOT_FOUND", `No device ${deviceUuid}.`);
    await tx.query(setBootstrappedSql, [device.id, succeeded, now]);
    const waiting = await lockJobsWithStatus(tx, device.id, ["WAITING_FOR_BOOTSTRAP"]);
    const facts = await jobMessageFacts(tx, waiting.map((j) => j.id));
    const messages: OutboundMessageInput[] = [];
    for (const job of waiting) {
      const info = facts.get(job.id)!;
      const fallbackMethod = info.fallbackPlan ?? "MARK_FOR_INSTALLATION";
      const event = succeeded ? ({ type: "BOOTSTRAP_SUCCEEDED" } as const) : ({ type: "BOOTSTRAP_FAILED", fallbackMethod, reason: `marked as failed by ${actor.email || "an administrator"}` } as const);
      const applied = await applyEvent(tx, job, device.clientVersion, event, { deviceId: device.id, now });
      const message = messageForJob(applied.job, info, device, link);
      if (message) messages.push(message);
    }
    await handOver(tx, messages, now);
    return waiting.length;
  });
  await recordAudit(actor, succeeded ? "device.bootstrapped" : "device.bootstrap_failed", { type: "device", id: deviceUuid }, { jobsMoved: moved });
  return moved;
}

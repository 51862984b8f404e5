/**
 * A device's OMA DM bootstrap. It goes out with the first job that needs it (handOver sends one
 * per device at a time and marks it under way, `devices.bootstrap_requested_at`), and it is
 * settled once: it succeeds when the device opens an OMA DM session (roadmap step 4; until then
 * an administrator marks it), it fails when its message finally fails (outbox.ts) or when an
 * administrator says so, and it times out (housekeeping). Settling moves every job waiting for
 * it through the job writer, in the same transaction: on success to Installing software, on
 * failure to its planned download-link method, whose link goes to the delivery layer there and then.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { sql, statement, type Sql } from "@/lib/db/sql";
import { handOver, type OutboundMessageInput } from "@/lib/delivery/delivery";
import { jobMessageFacts, linkContext, messageForJob, type LinkContext } from "@/lib/delivery/job-messages";
import { AppError } from "@/lib/errors";
import { applyEvent, lockJobsWithStatus } from "@/lib/installation-jobs/job-writer";

export type BootstrapDevice = { id: number; clientVersion: string | null; phoneNumber: string | null };

const lockDeviceSql = statement<BootstrapDevice & { bootstrapRequestedAt: Date | null }>(
  "bootstrap_lock_device",
  `SELECT id, client_version AS "clientVersion", phone_number AS "phoneNumber", bootstrap_requested_at AS "bootstrapRequestedAt"
     FROM devices WHERE device_uuid = $1::text FOR UPDATE`,
);
const settleDeviceSql = statement<{ id: number }>(
  "bootstrap_settle_device",
  // A failed bootstrap leaves a device that was bootstrapped before as it was: its earlier OMA DM
  // account may well still work (a re-bootstrap that did not take is no news about it).
  `UPDATE devices SET oma_dm_bootstrapped = oma_dm_bootstrapped OR $2::boolean, bootstrap_requested_at = NULL, updated_at = $3::timestamptz WHERE id = $1::int RETURNING id`,
);

export type BootstrapOutcome = { succeeded: true } | { succeeded: false; reason: string };

/**
 * Settles a device's bootstrap in `tx` (the device row locked by the caller) and moves the jobs
 * waiting for it; returns how many moved. `link` was read before the transaction.
 */
export async function settleBootstrap(tx: Sql, device: BootstrapDevice, outcome: BootstrapOutcome, link: LinkContext): Promise<number> {
  await tx.query(settleDeviceSql, [device.id, outcome.succeeded, link.now]);
  const waiting = await lockJobsWithStatus(tx, device.id, ["WAITING_FOR_BOOTSTRAP"]);
  const facts = await jobMessageFacts(tx, waiting.map((j) => j.id));
  const messages: OutboundMessageInput[] = [];
  for (const job of waiting) {
    const info = facts.get(job.id)!;
    const event = outcome.succeeded
      ? ({ type: "BOOTSTRAP_SUCCEEDED" } as const)
      : ({ type: "BOOTSTRAP_FAILED", fallbackMethod: info.fallbackPlan ?? "MARK_FOR_INSTALLATION", reason: outcome.reason } as const);
    const applied = await applyEvent(tx, job, device.clientVersion, event, { deviceId: device.id, now: link.now });
    const message = messageForJob(applied.job, info, device, link);
    if (message) messages.push(message);
  }
  await handOver(tx, messages, link.now);
  return waiting.length;
}

export async function sendBootstrap(actor: Actor, deviceUuid: string, origin = "http://localhost", now = new Date()): Promise<void> {
  assertCan(actor, { device: ["write"] });
  const link = await linkContext(origin, now);
  await sql().transaction(async (tx) => {
    const [device] = await tx.query(lockDeviceSql, [deviceUuid]);
    if (!device) throw new AppError("NOT_FOUND", `No device ${deviceUuid}.`);
    if (device.bootstrapRequestedAt) {
      throw new AppError("CONFLICT", `A bootstrap is already under way for this device (sent ${device.bootstrapRequestedAt.toISOString().slice(0, 16).replace("T", " ")} UTC): mark it succeeded or failed first.`);
    }
    await handOver(tx, [{ kind: "BOOTSTRAP", jobId: null, deviceId: device.id, recipient: device.phoneNumber, content: { server: link.baseUrl } }], now);
  });
  await recordAudit(actor, "device.bootstrap_sent", { type: "device", id: deviceUuid });
}

/** Returns how many waiting jobs moved. */
export async function markBootstrap(actor: Actor, deviceUuid: string, succeeded: boolean, origin = "http://localhost", now = new Date()): Promise<number> {
  assertCan(actor, { device: ["write"] });
  const link = await linkContext(origin, now);
  const outcome: BootstrapOutcome = succeeded ? { succeeded } : { succeeded, reason: `marked as failed by ${actor.email || "an administrator"}` };
  const moved = await sql().transaction(async (tx) => {
    const [device] = await tx.query(lockDeviceSql, [deviceUuid]);
    if (!device) throw new AppError("NOT_FOUND", `No device ${deviceUuid}.`);
    return settleBootstrap(tx, device, outcome, link);
  });
  await recordAudit(actor, succeeded ? "device.bootstrapped" : "device.bootstrap_failed", { type: "device", id: deviceUuid }, { jobsMoved: moved });
  return moved;
}

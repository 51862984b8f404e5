/**
 * Verification of DME-client jobs: when a device reports a client version (the
 * X-Device-client-version header; later also the system info sync), every job of that device
 * waiting for verification is checked against it through the job writer. Runs inside the
 * caller's transaction, after the caller has locked the device row (which serializes
 * everything reported by one device).
 */
import type { Sql } from "@/lib/db/sql";
import { applyEvent, lockJobsWithStatus } from "./job-writer";
import { WAITING_FOR_VERIFICATION } from "./status-model";

/** Returns how many jobs were verified. */
export async function applyClientVersionReport(tx: Sql, deviceId: number, version: string, now: Date): Promise<number> {
  let verified = 0;
  for (const job of await lockJobsWithStatus(tx, deviceId, WAITING_FOR_VERIFICATION)) {
    const { transition } = await applyEvent(tx, job, version, { type: "CLIENT_VERSION_REPORTED", version }, { deviceId, now });
    if (transition.statusChanged) verified++;
  }
  return verified;
}

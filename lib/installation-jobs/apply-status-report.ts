/**
 * Device status reports (X-Device-Action: Status). One document = one transaction:
 *   1. store the raw document once per (device, body hash) and touch the device row. Its row
 *      lock serializes all documents of one device, so nothing below races (a reported client
 *      version was already synchronized by the endpoint, lib/devices/client-version.ts);
 *   2. lock the newest job per reported package;
 *   3. per StatusMessage, in document order, hand the job and the report's event to the job
 *      writer (job-writer.ts), which applies the status model and writes log row and job row
 *      in one statement keyed by the report's identity: a retried report changes nothing.
 * Arrival order does not matter: the status model orders reports itself (status-model.ts).
 */
import { createHash } from "node:crypto";
import { sql, type Sql } from "@/lib/db/sql";
import { storeDeviceMessage } from "@/lib/devices/device-messages";
import { parseDeviceTime } from "@/lib/device-protocol/formats";
import { returnCodeOf, type StatusMessage, type StatusReport } from "@/lib/device-protocol/status-report";
import { applyEvent, lockLatestJobs, logReportWithoutJob, type LogFacts } from "./job-writer";
import { eventForReport } from "./report-events";

export type StatusReportInput = {
  deviceId: number;
  report: StatusReport;
  rawBody: string;
  headers: Record<string, string>;
  now: Date;
};

export function normalizePackageId(packageId: string): string {
  return packageId.trim().toUpperCase();
}

/** Identity of one report: a device resending it produces the same key. */
export function reportDedupKey(deviceId: number, m: StatusMessage): string {
  const identity = JSON.stringify([deviceId, normalizePackageId(m.packageId), m.messageId, m.timestamp, m.parameters]);
  return createHash("sha256").update(identity).digest("hex");
}

export async function applyStatusReport(input: StatusReportInput): Promise<void> {
  await sql().transaction((tx) => applyStatusReportIn(tx, input));
}

export async function applyStatusReportIn(tx: Sql, input: StatusReportInput): Promise<void> {
  const { deviceId, report, now } = input;
  const { messageRowId, clientVersion } = await storeDeviceMessage(tx, { deviceId, action: "Status", headers: input.headers, body: input.rawBody, now });

  const jobs = await lockLatestJobs(tx, deviceId, report.messages.map((m) => normalizePackageId(m.packageId)));
  for (const message of report.messages) {
    const packageId = normalizePackageId(message.packageId);
    const dedupKey = reportDedupKey(deviceId, message);
    const deviceTime = parseDeviceTime(message.timestamp);
    const facts: LogFacts = {
      deviceId,
      now,
      messageRowId,
      report: { packageId: message.packageId, messageId: message.messageId, deviceTimestamp: message.timestamp, deviceTime, parameters: message.parameters, dedupKey },
    };
    const job = jobs.get(packageId);
    if (!job) {
      await logReportWithoutJob(tx, facts);
      continue;
    }
    const event = eventForReport({ deviceTime, receivedAt: now, messageId: message.messageId, returnCode: returnCodeOf(message), identity: dedupKey });
    const applied = await applyEvent(tx, job, clientVersion, event, facts);
    jobs.set(packageId, applied.job);
  }
}

/**
 * Device status reports (X-Device-Action: Status). One document = one transaction:
 *   1. store the raw document once per (device, body hash) and touch the device row. Its row
 *      lock serializes all documents of one device, so nothing below races, and a changed
 *      client version runs the verification rule under it;
 *   2. lock the newest job per reported package;
 *   3. per StatusMessage, in document order, hand the job and the report's event to the job
 *      writer (job-writer.ts), which applies the status model and writes log row and job row
 *      in one statement keyed by the report's identity: a retried report changes nothing.
 * Arrival order does not matter: the status model orders reports itself (status-model.ts).
 */
import { createHash } from "node:crypto";
import { sql, statement, type Sql } from "@/lib/db/sql";
import { parseDeviceTime } from "@/lib/device-protocol/formats";
import { returnCodeOf, type StatusMessage, type StatusReport } from "@/lib/device-protocol/status-report";
import { applyEvent, lockLatestJobs, logReportWithoutJob, type LogFacts } from "./job-writer";
import { eventForReport } from "./report-events";
import { applyClientVersionReport } from "./verify-client-version";

export type StatusReportInput = {
  deviceId: number;
  report: StatusReport;
  rawBody: string;
  headers: Record<string, string>;
  /** X-Device-client-version, when sent. */
  clientVersion: string | null;
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
  const { messageRowId, clientVersion } = await storeMessage(tx, input);

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

const storeMessageSql = statement<{ id: string; clientVersion: string | null }>(
  "ingest_store_message_touch_device",
  // DO UPDATE, not DO NOTHING: a retry of the same bytes must get the existing row's id back,
  // even while another transaction is inserting it. The UPDATE takes the device row lock.
  `WITH message AS (
     INSERT INTO device_messages (device_id, action, received_at, headers, body, body_sha256)
     VALUES ($1::int, $2::text, $3::timestamptz, $4::jsonb, $5::text, $6::text)
     ON CONFLICT (device_id, body_sha256) DO UPDATE SET body_sha256 = EXCLUDED.body_sha256
     RETURNING id
   ), touched AS (
     UPDATE devices SET last_contact_at = $3::timestamptz, updated_at = $3::timestamptz
      WHERE id = $1::int
     RETURNING client_version
   )
   SELECT message.id::text AS id, touched.client_version AS "clientVersion" FROM message, touched`,
);

const setClientVersionSql = statement<{ id: number }>(
  "ingest_set_client_version",
  `UPDATE devices SET client_version = $2::text WHERE id = $1::int AND client_version IS DISTINCT FROM $2::text RETURNING id`,
);

/** Stores the raw document and returns its row id and the device's client version now in force. */
async function storeMessage(tx: Sql, input: StatusReportInput): Promise<{ messageRowId: string; clientVersion: string | null }> {
  const bodySha256 = createHash("sha256").update(input.rawBody).digest("hex");
  const [row] = await tx.query(storeMessageSql, [input.deviceId, "Status", input.now, JSON.stringify(input.headers), input.rawBody, bodySha256]);
  if (!row) throw new Error(`device ${input.deviceId} vanished while reporting`);
  // Rare (a device reports a new client version), so it may cost statements of its own. The
  // device row is locked now: only one of two concurrent reports sees the version change.
  if (input.clientVersion !== null && input.clientVersion !== row.clientVersion) {
    const changed = await tx.query(setClientVersionSql, [input.deviceId, input.clientVersion]);
    if (changed.length === 1) await applyClientVersionReport(tx, input.deviceId, input.clientVersion, input.now);
  }
  return { messageRowId: row.id, clientVersion: input.clientVersion ?? row.clientVersion };
}

/** The statements of this path, for the benchmark's baseline (which sends exactly these). */
export const statusReportStatements = { storeMessageSql, setClientVersionSql };

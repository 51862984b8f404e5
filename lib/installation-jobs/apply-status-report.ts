/**
 * Device status reports (X-Device-Action: Status). Concurrent documents share a transaction
 * (adaptive group commit, lib/db/group-commit.ts: a lone report runs at once; under load the
 * reports that arrive while others commit leave together, each answered after COMMIT). One
 * batch, whatever its size, is three statements between BEGIN and COMMIT:
 *
 *   1. store the raw documents (once per device and body hash) and touch their devices. The
 *      device row locks, taken in id order, serialize everything one device sends and keep two
 *      batches from deadlocking;
 *   2. lock the newest job per (device, reported package), and read which of the reports the
 *      log already holds (a retried report changes nothing);
 *   3. the job writer's multi-row write (job-writer.ts): every new report's log row, and every
 *      job the status model moved, planned per StatusMessage in arrival order.
 *
 * Arrival order does not matter to the outcome: the status model orders reports itself.
 */
import { createHash } from "node:crypto";
import { groupCommit } from "@/lib/db/group-commit";
import { sql, statement, type Sql } from "@/lib/db/sql";
import { storeDeviceMessages } from "@/lib/devices/device-messages";
import { parseDeviceTime } from "@/lib/device-protocol/formats";
import { returnCodeOf, type StatusMessage, type StatusReport } from "@/lib/device-protocol/status-report";
import { JOB_SELECT, logOnlyRow, planEvent, writeChanges, type Change, type LogFacts, type LogOnly, type StoredJob } from "./job-writer";
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

/** Documents with more messages than this run alone: a big one cannot hold others up. */
export const MAX_SHARED_MESSAGES = 16;

const batcher = groupCommit<StatusReportInput>({
  maxBatch: Number(process.env.DEPLOYDESK_REPORT_BATCH ?? 64),
  maxInFlight: Number(process.env.DEPLOYDESK_REPORT_BATCHES_IN_FLIGHT ?? 4),
  key: (r) => r.deviceId,
  alone: (r) => r.report.messages.length > MAX_SHARED_MESSAGES,
  run: (inputs) => sql().transaction((tx) => applyStatusReportsIn(tx, inputs)),
});

/** Applies one document; resolves once it is committed (possibly together with others). */
export function applyStatusReport(input: StatusReportInput): Promise<void> {
  return batcher.submit(input);
}

export function statusReportBatchStats() {
  return batcher.stats();
}

const lockJobsAndSeenSql = statement<Partial<StoredJob> & { seen: string[] }>(
  "reports_lock_jobs_and_seen",
  // Older jobs for the same package (an earlier install of it) are history: reports move the
  // newest one. The log's knowledge of these reports is read under the device locks taken by
  // the statement before, so no other transaction can be adding to it.
  `SELECT seen.keys AS seen, j.*
     FROM (SELECT ARRAY(SELECT dedup_key FROM installation_log WHERE dedup_key = ANY($3::text[])) AS keys) seen
     LEFT JOIN LATERAL (
       SELECT ${JOB_SELECT}
        WHERE j.id IN (SELECT max(j2.id) FROM installation_jobs j2 JOIN software s2 ON s2.id = j2.software_id
                         JOIN unnest($1::int[], $2::text[]) AS w(device_id, package_id) ON j2.device_id = w.device_id AND s2.package_id = w.package_id
                        GROUP BY j2.device_id, s2.package_id)
        ORDER BY j.id
          FOR UPDATE OF j
     ) j ON true`,
);

export async function applyStatusReportsIn(tx: Sql, inputs: StatusReportInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const now = inputs[inputs.length - 1]!.now;
  // 1. The raw documents, and the devices locked.
  const stored = await storeDeviceMessages(tx, inputs.map((i) => ({ deviceId: i.deviceId, action: "Status", headers: i.headers, body: i.rawBody })), now);

  // 2. The jobs the reports are about, locked, and the reports the log already has.
  const reports = inputs.flatMap((input) => input.report.messages.map((m) => ({ input, m, packageId: normalizePackageId(m.packageId), dedupKey: reportDedupKey(input.deviceId, m) })));
  const rows = reports.length === 0 ? [] : await tx.query(lockJobsAndSeenSql, [reports.map((r) => r.input.deviceId), reports.map((r) => r.packageId), reports.map((r) => r.dedupKey)]);
  const seen = new Set(rows[0]?.seen ?? []);
  const jobs = new Map(rows.filter((r) => r.id != null).map((r) => [`${r.deviceId}:${normalizePackageId(r.packageId!)}`, r as StoredJob]));

  // 3. Plan every new report in arrival order, then write them all.
  const changes: Change[] = [];
  const logOnly: LogOnly[] = [];
  const storedOf = new Map(inputs.map((input, i) => [input, stored[i]!]));
  for (const { input, m, packageId, dedupKey } of reports) {
    if (seen.has(dedupKey)) continue; // a retried report (or the same one twice in this batch)
    seen.add(dedupKey);
    const row = storedOf.get(input)!;
    const deviceTime = parseDeviceTime(m.timestamp);
    const facts: LogFacts = {
      deviceId: input.deviceId,
      now: input.now,
      messageRowId: row.messageRowId,
      report: { packageId: m.packageId, messageId: m.messageId, deviceTimestamp: m.timestamp, deviceTime, parameters: m.parameters, dedupKey },
    };
    const key = `${input.deviceId}:${packageId}`;
    const job = jobs.get(key);
    if (!job) {
      logOnly.push(logOnlyRow(null, { code: "STATUS_REPORT", data: { note: "NO_JOB" } }, facts));
      continue;
    }
    const event = eventForReport({ deviceTime, receivedAt: input.now, messageId: m.messageId, returnCode: returnCodeOf(m), identity: dedupKey });
    const change = planEvent(job, row.clientVersion, event, facts);
    changes.push(change);
    jobs.set(key, { ...job, ...change.transition.next });
  }
  await writeChanges(tx, changes, logOnly);
}

/**
 * A device asking about its packages: instructions (protocol §5.3/5.4) and a download location
 * (§5.5/5.6). A package counts only while it is on the device's poll list (its live job); a
 * request about any other is refused and logged. Each answer is logged on its job.
 */
import { sql, statement, type Sql } from "@/lib/db/sql";
import type { PackageInstructions, RecurrenceBehavior } from "@/lib/device-protocol/instructions";
import { signTicket } from "@/lib/downloads/ticket";
import { AppError } from "@/lib/errors";
import { serverSecret } from "@/lib/settings/server-secret";
import { applyEvent, lockJobWithDevice, logDeviceEntry } from "./job-writer";

import type { JobEvent, JobStatus } from "./status-model";

export type AssignedPackage = {
  jobId: number;
  status: JobStatus;
  jobCreatedAt: Date;
  packageId: string;
  name: string;
  required: boolean;
  shortDescription: string;
  longDescription: string;
  flags: number;
  startTime: Date | null;
  startTimeUtc: boolean;
  sourceFiles: boolean;
  recurrenceIntervalSeconds: number | null;
  recurrenceBehavior: RecurrenceBehavior | null;
  localDestination: string;
  commandLine: string;
  fileName: string | null;
  fileSize: string | null;
};

const assignedPackagesSql = statement<AssignedPackage>(
  "package_requests_assigned",
  `SELECT j.id AS "jobId", j.status, j.created_at AS "jobCreatedAt", s.package_id AS "packageId", s.name, s.required,
          s.short_description AS "shortDescription", s.long_description AS "longDescription", s.flags,
          s.start_time AS "startTime", s.start_time_utc AS "startTimeUtc", s.source_files AS "sourceFiles",
          s.recurrence_interval_seconds AS "recurrenceIntervalSeconds", s.recurrence_behavior AS "recurrenceBehavior",
          s.local_destination AS "localDestination", s.command_line AS "commandLine", s.file_name AS "fileName",
          s.file_size::text AS "fileSize"
     FROM devices d
     JOIN software s ON s.package_id = ANY(d.applicable_packages) AND s.package_id = ANY($2::text[])
     JOIN installation_jobs j ON j.id = (SELECT max(id) FROM installation_jobs WHERE device_id = d.id AND software_id = s.id)
    WHERE d.id = $1::int`,
);

/**
 * The requested packages that are on the device's list, with their job; a request naming any
 * other is logged and refused. A plain read, outside any transaction: the refusal's log row must
 * not wait for a transaction of the same request (on the embedded PGlite, which runs one
 * transaction at a time, it would wait forever).
 */
async function assigned(deviceId: number, packageIds: string[], request: "InstructionRequest" | "LocationRequest", now: Date) {
  const wanted = packageIds.map((id) => id.trim().toUpperCase());
  const rows = await sql().query(assignedPackagesSql, [deviceId, wanted]);
  const found = new Map(rows.map((r) => [r.packageId.toUpperCase(), r]));
  const missing = [...new Set(wanted)].filter((id) => !found.has(id));
  if (missing.length > 0) {
    for (const packageId of missing) await logDeviceEntry(sql(), { code: "PACKAGE_REFUSED", data: { packageId, request } }, { deviceId, now });
    throw new AppError("PACKAGE_NOT_ASSIGNED", `No installation job on this device for package ${missing.join(", ")}.`);
  }
  return wanted.map((id) => found.get(id)!);
}

function toInstructions(p: AssignedPackage): PackageInstructions {
  return {
    packageId: p.packageId,
    required: p.required,
    name: p.name,
    shortDescription: p.shortDescription,
    longDescription: p.longDescription,
    flags: p.flags,
    // Without a start time of its own the package is due at once: the job's creation, in UTC.
    startTime: p.startTime ? { time: p.startTime, utc: p.startTimeUtc } : { time: p.jobCreatedAt, utc: true },
    sourceFiles: p.sourceFiles,
    recurrence: p.recurrenceIntervalSeconds && p.recurrenceBehavior ? { intervalSeconds: p.recurrenceIntervalSeconds, behavior: p.recurrenceBehavior } : null,
    localDestination: p.localDestination,
    commandLine: p.commandLine,
    packageSize: Number(p.fileSize ?? 0),
  };
}

/**
 * The job's package was handed to the device: logged, and for a retried job the moment from
 * which its reports count again (status-model.ts, awaitsHandover).
 */
async function handedOver(tx: Sql, jobId: number, deviceId: number, event: JobEvent, now: Date): Promise<void> {
  const locked = await lockJobWithDevice(tx, jobId);
  if (locked) await applyEvent(tx, locked.job, locked.device.clientVersion, event, { deviceId, now });
}

export async function instructionsFor(deviceId: number, packageIds: string[], now: Date): Promise<PackageInstructions[]> {
  const packages = await assigned(deviceId, packageIds, "InstructionRequest", now);
  return sql().transaction(async (tx) => {
    for (const p of packages) await handedOver(tx, p.jobId, deviceId, { type: "PACKAGE_HANDED_OVER", request: "INSTRUCTIONS" }, now);
    return packages.map(toInstructions);
  });
}

/** A fresh signed link to the job's package; each request gets a new one. */
export async function locationFor(deviceId: number, packageId: string, baseUrl: string, lifetimeSeconds: number, now: Date): Promise<{ packageId: string; url: string; expiresAt: Date }> {
  const secret = await serverSecret();
  const [p] = await assigned(deviceId, [packageId], "LocationRequest", now);
  return sql().transaction(async (tx) => {
    const expiresAt = new Date(now.getTime() + lifetimeSeconds * 1000);
    const ticket = signTicket({ jobId: p!.jobId, expiresAt, via: "client" }, secret);
    const url = `${baseUrl}/packages/${ticket}/${encodeURIComponent(p!.fileName ?? `${p!.packageId}.cab`)}`;
    await handedOver(tx, p!.jobId, deviceId, { type: "PACKAGE_HANDED_OVER", request: "LOCATION", expiresAt: expiresAt.toISOString() }, now);
    return { packageId: p!.packageId, url, expiresAt };
  });
}

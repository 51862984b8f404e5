/**
 * Demo data: the manual's own sample device and package (so its status-report samples work
 * with curl), plus devices with jobs in every status so the tables show their ordering.
 * Jobs reach their status the way real ones do: created by the job writer, then moved by device
 * status reports through the ingest service (so the log and the raw reports are real) or by
 * the job writer's OMA DM events. Idempotent: re-running finds what exists by its natural key
 * and never resets a job that reports have since moved.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { fileStore } from "@/lib/storage/file-store";
import { db } from "@/lib/db/client";
import { closeSql, sql, type Sql } from "@/lib/db/sql";
import { SAMPLE_DEVICE, SAMPLE_PACKAGE_ID } from "@/lib/device-protocol/fixtures";
import { formatDeviceTime } from "@/lib/device-protocol/formats";
import { buildStatusDocument, parseStatusReport } from "@/lib/device-protocol/status-report";
import { hashDeviceToken } from "@/lib/devices/credentials";
import { applyStatusReportsIn } from "@/lib/installation-jobs/apply-status-report";
import { applyEvent, createJob, lockJob } from "@/lib/installation-jobs/job-writer";
import { statusLabel, type InstallMethod, type JobStatus, type SoftwareKind } from "@/lib/installation-jobs/status-model";
import type { Prisma } from "@/lib/generated/prisma/client";

type DeviceSeed = { deviceUuid: string; token: string; name: string; platform: string; phoneNumber?: string; omaDmBootstrapped?: boolean; clientVersion?: string };

/** A device; with `polledAt`, created as if it had last polled then (a live fleet polls hourly). */
async function ensureDevice(d: DeviceSeed, polledAt?: Date): Promise<number> {
  const { token, ...fields } = d;
  const contact = polledAt ? { lastPollAt: polledAt, lastContactAt: polledAt } : {};
  const device = await db().device.upsert({ where: { deviceUuid: d.deviceUuid }, update: {}, create: { ...fields, ...contact }, select: { id: true } });
  await db().deviceCredential.upsert({
    where: { deviceId_tokenHash: { deviceId: device.id, tokenHash: hashDeviceToken(token) } },
    update: {},
    create: { deviceId: device.id, tokenHash: hashDeviceToken(token) },
  });
  return device.id;
}

/**
 * A software entry with a real package file of `size` bytes (deterministic content, so the
 * SHA-256 is the same on every machine), stored in the file store. An entry whose file is
 * already there is left alone.
 */
async function ensureSoftware(s: Omit<Prisma.SoftwareCreateInput, "fileSize" | "fileSha256" | "storageKey">, size: number): Promise<number> {
  const storageKey = `packages/${s.packageId}`;
  const existing = await db().software.findUnique({ where: { packageId: s.packageId }, select: { id: true, storageKey: true } });
  if (existing?.storageKey && (await fileStore().size(existing.storageKey)) !== null) return existing.id;
  const stored = await fileStore().put(storageKey, Readable.from(demoPackageBytes(s.packageId, size)));
  const file = { fileSize: BigInt(stored.size), fileSha256: stored.sha256, storageKey };
  return (await db().software.upsert({ where: { packageId: s.packageId }, update: file, create: { ...s, ...file }, select: { id: true } })).id;
}

/** `size` pseudo-random bytes derived from `seed` (SHA-256 in counter mode), in 64 KiB chunks. */
function* demoPackageBytes(seed: string, size: number): Generator<Buffer> {
  let counter = 0;
  for (let left = size; left > 0; ) {
    const n = Math.min(left, 65_536);
    const chunk = Buffer.alloc(n);
    for (let at = 0; at < n; at += 32) createHash("sha256").update(`${seed}:${counter++}`).digest().copy(chunk, at);
    left -= n;
    yield chunk;
  }
}

const DAY = 24 * 60 * 60 * 1000;

export async function seedDemoData(now = new Date()): Promise<void> {
  // The device and package of the protocol samples (protocol §5.4 instruction fields).
  const sampleDevice = await ensureDevice({
    deviceUuid: SAMPLE_DEVICE.deviceUuid,
    token: SAMPLE_DEVICE.auth,
    name: SAMPLE_DEVICE.name,
    platform: "CEPC platform",
  });
  const samplePackage = await ensureSoftware({
    name: "sample directory download",
    version: "1.0",
    kind: "OTHER_SOFTWARE",
    platform: "CEPC platform",
    packageId: SAMPLE_PACKAGE_ID,
    required: true,
    shortDescription: "short of W directory",
    longDescription: "long of W directory",
    flags: 3,
    startTime: new Date("2002-08-29T00:00:00Z"),
    startTimeUtc: false,
    sourceFiles: true,
    recurrenceIntervalSeconds: 86_400,
    recurrenceBehavior: "DOWNLOAD_AND_EXECUTE",
    localDestination: "\\temp",
    commandLine: "install.cab",
    fileName: "install.cab",
  }, 9_448_526); // the sample's PackageSize
  const hasSampleJob = await db().installationJob.findFirst({ where: { deviceId: sampleDevice, softwareId: samplePackage }, select: { id: true } });

  // A small catalogue and fleet with one job in every status.
  const catalogue: { key: string; name: string; version: string; kind: SoftwareKind; packageId: string; size: number }[] = [
    { key: "dme21", name: "DME client", version: "2.1", kind: "DME_CLIENT", packageId: "6F1C2A10-0000-4000-8000-000000000021", size: 2_359_296 },
    { key: "dme20", name: "DME client", version: "2.0", kind: "DME_CLIENT", packageId: "6F1C2A10-0000-4000-8000-000000000020", size: 2_201_600 },
    { key: "inv", name: "Inventory app", version: "3.4", kind: "OTHER_SOFTWARE", packageId: "6F1C2A10-0000-4000-8000-000000000101", size: 845_312 },
    { key: "scan", name: "Barcode scanner driver", version: "1.2", kind: "OTHER_SOFTWARE", packageId: "6F1C2A10-0000-4000-8000-000000000102", size: 48_128 },
    { key: "route", name: "Route planner", version: "5.0", kind: "OTHER_SOFTWARE", packageId: "6F1C2A10-0000-4000-8000-000000000103", size: 3_145_728 },
    { key: "sign", name: "Signature capture", version: "1.0", kind: "OTHER_SOFTWARE", packageId: "6F1C2A10-0000-4000-8000-000000000104", size: 131_072 },
    { key: "vpn", name: "VPN profile", version: "2024.1", kind: "OTHER_SOFTWARE", packageId: "6F1C2A10-0000-4000-8000-000000000105", size: 4_096 },
    { key: "print", name: "Label printer driver", version: "4.2", kind: "OTHER_SOFTWARE", packageId: "6F1C2A10-0000-4000-8000-000000000106", size: 262_144 },
  ];
  const software = new Map<string, number>();
  const packageIds = new Map<string, string>();
  for (const { key, size, ...s } of catalogue) {
    software.set(key, await ensureSoftware({ ...s, platform: "PocketPC 2003", localDestination: "\\Program Files", commandLine: "setup.cab", fileName: "setup.cab" }, size));
    packageIds.set(key, s.packageId);
  }

  const plan: PlannedEvent[] = [];
  if (!hasSampleJob) plan.push({ at: now, run: async (tx) => void (await createJob(tx, { deviceId: sampleDevice, softwareId: samplePackage, method: "MARK_FOR_INSTALLATION", now })) });
  const planned: { id: () => number; status: JobStatus }[] = [];
  for (const { jobs, ...device } of DEMO_FLEET) {
    const deviceId = await ensureDevice(device, new Date(now.getTime() - 7 * 60 * 1000));
    if (await db().installationJob.count({ where: { deviceId } })) continue;
    for (const [key, method, status, daysAgo] of jobs) {
      const at = new Date(now.getTime() - daysAgo * DAY);
      const job = { deviceId, clientVersion: device.clientVersion ?? null, softwareId: software.get(key)!, packageId: packageIds.get(key)!, method, status, at };
      planned.push({ ...planJob(job, plan), status });
    }
  }
  // Every event of every job in time order, so the log's ids (its order) follow the backdated
  // times across the whole fleet, as a live server would have written them. One transaction:
  // a demo that breaks half-way leaves nothing, and the next start tries again.
  await sql().transaction(async (tx) => {
    for (const event of plan.sort((a, b) => a.at.getTime() - b.at.getTime())) await event.run(tx);
    // The demo promises a job in every status: if the model ever disagrees, say so here.
    for (const job of planned) {
      const reached = (await lockJob(tx, job.id()))!.status;
      if (reached !== job.status) throw new Error(`demo job ${job.id()} ended as ${statusLabel(reached)}, expected ${statusLabel(job.status)}`);
    }
  });
}

type PlannedEvent = { at: Date; run: (tx: Sql) => Promise<void> };

const MINUTE = 60 * 1000;

/** What happens to a demo job on its way to `status`: device reports, or an OMA DM result. */
function stepsTo(status: JobStatus, method: InstallMethod): ("11030" | "11031" | "11032" | "11035" | "11099" | "OMA_DM_OK")[] {
  switch (status) {
    case "WAITING_FOR_BOOTSTRAP":
    case "WAITING_FOR_DOWNLOAD":
      return [];
    case "INSTALLING_SOFTWARE":
      return method === "OMA_DM" ? [] : ["11030"];
    case "INSTALLATION_FAILED":
      return ["11030", "11032"];
    case "UNKNOWN_STATUS":
      return ["11030", "11099"];
    case "DOWNLOADED":
    case "DOWNLOADED_WAITING_FOR_VERIFICATION":
    case "DOWNLOADED_VERIFIED":
      return ["11030", "11031", "11035"];
    case "INSTALLED":
    case "INSTALLED_WAITING_FOR_VERIFICATION":
    case "INSTALLED_VERIFIED":
      return ["OMA_DM_OK"];
  }
}

/**
 * A demo job's events, added to `plan`: created an hour before it reaches its status, its steps
 * a minute apart up to then. Returns the job's id once the plan has run.
 */
function planJob(
  j: { deviceId: number; clientVersion: string | null; softwareId: number; packageId: string; method: InstallMethod; status: JobStatus; at: Date },
  plan: PlannedEvent[],
): { id: () => number } {
  let id: number | null = null;
  const jobId = () => {
    if (id === null) throw new Error("a demo job's step was planned before its creation");
    return id;
  };
  const created = new Date(j.at.getTime() - 60 * MINUTE);
  plan.push({ at: created, run: async (tx) => void (id = (await createJob(tx, { deviceId: j.deviceId, softwareId: j.softwareId, method: j.method, now: created })).id) });
  const steps = stepsTo(j.status, j.method);
  for (const [i, step] of steps.entries()) {
    const now = new Date(j.at.getTime() - (steps.length - 1 - i) * MINUTE);
    plan.push({
      at: now,
      run: async (tx) => {
        if (step === "OMA_DM_OK") {
          await applyEvent(tx, (await lockJob(tx, jobId()))!, j.clientVersion, { type: "OMA_DM_INSTALL_SUCCEEDED" }, { deviceId: j.deviceId, now });
          return;
        }
        const returnCode = step === "11032" ? "0x80072EE7" : "0";
        const body = buildStatusDocument([{ packageId: j.packageId, messageId: step, timestamp: formatDeviceTime(now), parameters: [{ name: "Return code", value: returnCode }] }]);
        await applyStatusReportsIn(tx, [{ deviceId: j.deviceId, report: parseStatusReport(body), rawBody: body, headers: { "x-device-action": "Status" }, now }]);
      },
    });
  }
  return { id: jobId };
}

/** Devices with one job in every status: [software key, method, status, days since reached]. */
export const DEMO_FLEET: (DeviceSeed & { jobs: [string, InstallMethod, JobStatus, number][] })[] = [
  {
    deviceUuid: "26CB0000-1807-1211-1502-736874726968",
    token: "demo-token-lightpos",
    name: "SHTRIH-LightPOS",
    platform: "Shtrih-M Embedded",
    phoneNumber: "+4520000001",
    omaDmBootstrapped: false,
    clientVersion: "2.0",
    // [software, method, status, days since the status was reached]
    jobs: [
      ["dme21", "OMA_DM", "WAITING_FOR_BOOTSTRAP", 0],
      ["inv", "WAP_PUSH", "WAITING_FOR_DOWNLOAD", 1],
      ["scan", "SMS_PUSH", "INSTALLING_SOFTWARE", 0],
      ["route", "MARK_FOR_INSTALLATION", "INSTALLATION_FAILED", 2],
      ["sign", "WAP_PUSH", "UNKNOWN_STATUS", 1],
      ["vpn", "MARK_FOR_INSTALLATION", "DOWNLOADED", 3],
      ["dme20", "SMS_PUSH", "DOWNLOADED_VERIFIED", 4],
      ["print", "SMS_PUSH", "DOWNLOADED", 12], // completed 12 days ago: log only
    ],
  },
  {
    deviceUuid: "43004500500043000000434550434B5335343934350000000001",
    token: "demo-token-warehouse-07",
    name: "Warehouse scanner 07",
    platform: "PocketPC 2003",
    phoneNumber: "+4520000007",
    omaDmBootstrapped: true,
    clientVersion: "2.0",
    jobs: [
      ["dme21", "OMA_DM", "INSTALLED_WAITING_FOR_VERIFICATION", 0],
      ["inv", "OMA_DM", "INSTALLED", 2],
      ["dme20", "OMA_DM", "INSTALLED_VERIFIED", 5],
      ["scan", "OMA_DM", "INSTALLING_SOFTWARE", 0],
    ],
  },
  {
    deviceUuid: "43004500500043000000434550434B5335343934350000000002",
    token: "demo-token-delivery-12",
    name: "Delivery terminal 12",
    platform: "PocketPC 2003",
    phoneNumber: "+4520000012",
    clientVersion: "2.0",
    jobs: [
      ["dme21", "WAP_PUSH", "DOWNLOADED_WAITING_FOR_VERIFICATION", 1],
      ["inv", "SMS_PUSH", "INSTALLATION_FAILED", 0],
      ["scan", "MARK_FOR_INSTALLATION", "WAITING_FOR_DOWNLOAD", 0],
    ],
  },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await seedDemoData();
  await db().$disconnect();
  await closeSql();
  console.log("Demo data is in place.");
}

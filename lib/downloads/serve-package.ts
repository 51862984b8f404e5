/**
 * GET/HEAD on a package link (`/packages/<ticket>/<file name>`, handed out by PackageLocation
 * and later by SMS/WAP push): the ticket is checked (403 forged, 410 expired — never the file),
 * then the job's package is streamed from the file store with single-range support (206 with
 * Content-Range, 416 beyond the end), an ETag from its SHA-256, Content-Length, HEAD. Serving
 * bytes moves a job waiting for its download on; serving the last byte is logged, and for a
 * push link (opened outside the CE client) completes the download.
 */
import { sql, statement } from "@/lib/db/sql";
import type { DeviceRequest, DeviceResponse } from "@/lib/device-endpoint/types";
import { errorResponse } from "@/lib/device-endpoint/responses";
import { AppError, isAppError } from "@/lib/errors";
import { applyEventToJob, logJobEntry } from "@/lib/installation-jobs/job-writer";
import type { JobStatus } from "@/lib/installation-jobs/status-model";
import { serverSecret } from "@/lib/settings/server-secret";
import { fileStore } from "@/lib/storage/file-store";
import { contentDisposition } from "./content-disposition";
import { decideRange } from "./range";
import { verifyTicket, type Ticket } from "./ticket";

export const PACKAGE_PATH_PREFIX = "/packages/";

type JobPackage = {
  jobId: number;
  deviceId: number;
  softwareId: number;
  status: JobStatus;
  fileName: string | null;
  fileSize: string | null;
  sha256: string | null;
  storageKey: string | null;
  /** Withdrawn software or a cancelled job: the link no longer serves. */
  gone: boolean;
};

const jobPackageSql = statement<JobPackage>(
  "downloads_job_package",
  `SELECT j.id AS "jobId", j.device_id AS "deviceId", j.software_id AS "softwareId", j.status, s.file_name AS "fileName", s.file_size::text AS "fileSize",
          s.file_sha256 AS sha256, s.storage_key AS "storageKey", (s.withdrawn_at IS NOT NULL OR j.cancelled_at IS NOT NULL) AS gone
     FROM installation_jobs j JOIN software s ON s.id = j.software_id
    WHERE j.id = $1::int`,
);

async function checkTicket(segment: string, now: Date): Promise<Ticket> {
  try {
    return verifyTicket(segment, await serverSecret(), now);
  } catch (error) {
    // An expired link is the job's business too: the log says someone tried it.
    const expired = isAppError(error, "TICKET_EXPIRED") ? (error as unknown as { ticket: Ticket }).ticket : null;
    if (expired) {
      const [pkg] = await sql().query(jobPackageSql, [expired.jobId]);
      if (pkg) {
        await logJobEntry(sql(), { id: pkg.jobId, softwareId: pkg.softwareId, status: pkg.status }, { code: "LINK_EXPIRED", data: { expiredAt: expired.expiresAt.toISOString() } }, { deviceId: pkg.deviceId, now });
      }
    }
    throw error;
  }
}

export async function servePackage(request: DeviceRequest): Promise<DeviceResponse> {
  try {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return errorResponse(new AppError("METHOD_NOT_ALLOWED", `Package links answer GET and HEAD; got ${request.method}.`), { allow: "GET, HEAD" });
    }
    const segments = request.path.slice(PACKAGE_PATH_PREFIX.length).split("/");
    if (segments.length !== 2 || !segments[0]) throw new AppError("NOT_FOUND", "No such package link.");
    const now = new Date();
    const ticket = await checkTicket(segments[0], now);
    const [pkg] = await sql().query(jobPackageSql, [ticket.jobId]);
    if (!pkg || pkg.gone) throw new AppError("NOT_FOUND", "This package is no longer offered.");
    const size = pkg.storageKey ? await fileStore().size(pkg.storageKey) : null;
    if (size === null || !pkg.sha256) throw new AppError("NOT_FOUND", "This package has no file to download.");

    const etag = `"${pkg.sha256}"`;
    const header = (name: string) => request.headers[name]?.[0] ?? null;
    const decision = decideRange(header("range"), size, header("if-range"), etag);
    const common: Record<string, string> = {
      "accept-ranges": "bytes",
      etag,
      "cache-control": "private, no-store",
      "content-type": "application/octet-stream",
      "content-disposition": contentDisposition(pkg.fileName ?? "package.bin"),
    };
    if (decision.kind === "unsatisfiable") {
      return errorResponse(new AppError("RANGE_NOT_SATISFIABLE", `the package has ${size} bytes.`), { "content-range": `bytes */${size}`, "accept-ranges": "bytes", etag });
    }
    const start = decision.kind === "partial" ? decision.start : 0;
    const end = decision.kind === "partial" ? decision.end : size - 1;
    const length = Math.max(0, end - start + 1);
    const headers = { ...common, "content-length": String(length), ...(decision.kind === "partial" ? { "content-range": `bytes ${start}-${end}/${size}` } : {}) };
    const [status, reason] = decision.kind === "partial" ? [206, "Partial Content"] : [200, "OK"];
    if (request.method === "HEAD") return { status, reason, headers, body: "" };

    if (length > 0) await applyEventToJob(pkg.jobId, { type: "PACKAGE_FETCH_STARTED", start, size }, now);
    const reachesEnd = length > 0 && end === size - 1;
    // A push link completes its job only when this one response carried the whole file; a
    // range that merely ends at the last byte proves nothing about the rest.
    const wholeFile = start === 0 && reachesEnd;
    return {
      status,
      reason,
      headers,
      body: length > 0 ? fileStore().read(pkg.storageKey!, { start, end }) : "",
      onSent: reachesEnd
        ? async () => void (await applyEventToJob(pkg.jobId, { type: "PACKAGE_FETCHED", size, completesDelivery: ticket.via === "link" && wholeFile }, new Date()))
        : undefined,
    };
  } catch (error) {
    // A phone's browser opening an SMS or WAP push link gets a page to read, not a status line.
    if (isAppError(error, "TICKET_EXPIRED") && (request.headers.accept?.[0] ?? "").includes("text/html")) return expiredLinkPage();
    return errorResponse(error);
  }
}

function expiredLinkPage(): DeviceResponse {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Download link expired</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<h1>This download link has expired</h1>
<p>Download links are valid for a limited time. Ask your administrator to send the link again: a new message will arrive with a fresh link.</p>
</body></html>
`;
  return { status: 410, reason: "Gone", headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, body: html };
}

/**
 * Which message a job in its current state calls for (status-model.md): an OMA DM job waiting
 * for its bootstrap needs the bootstrap; a download-link job by SMS or WAP push waiting for its
 * download needs the link sent; Mark for Installation sends nothing (the poll hands it over).
 * Shared by job creation and Retry so both send alike. The link is the job's own download
 * ticket, for a browser rather than the CE client ("link").
 */
import type { OutboundMessageInput } from "./delivery";
import { signTicket } from "@/lib/downloads/ticket";
import type { InstallMethod, JobStatus } from "@/lib/installation-jobs/status-model";

export type JobForMessage = {
  id: number;
  deviceId: number;
  status: JobStatus;
  method: InstallMethod;
  /** The download-link method a job falls back to (or fell back to). */
  linkMethod: InstallMethod | null;
  softwareName: string;
  fileName: string | null;
  packageId: string;
};

export function messageForJob(
  job: JobForMessage,
  device: { phoneNumber: string | null },
  link: { baseUrl: string; secret: Buffer; lifetimeSeconds: number; now: Date },
): OutboundMessageInput | null {
  if (job.status === "WAITING_FOR_BOOTSTRAP") {
    return { kind: "BOOTSTRAP", jobId: job.id, deviceId: job.deviceId, recipient: device.phoneNumber, content: { server: link.baseUrl } };
  }
  const via = job.method === "OMA_DM" ? job.linkMethod : job.method;
  if (job.status !== "WAITING_FOR_DOWNLOAD" || (via !== "SMS_PUSH" && via !== "WAP_PUSH")) return null;
  const expiresAt = new Date(link.now.getTime() + link.lifetimeSeconds * 1000);
  const url = `${link.baseUrl}/packages/${signTicket({ jobId: job.id, expiresAt, via: "link" }, link.secret)}/${encodeURIComponent(job.fileName ?? `${job.packageId}.cab`)}`;
  const text = `Install ${job.softwareName}: ${url}`;
  return { kind: via, jobId: job.id, deviceId: job.deviceId, recipient: device.phoneNumber, content: { text, link: url, expiresAt: expiresAt.toISOString() } };
}

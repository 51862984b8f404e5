/**
 * Which message a job in its current state calls for (status-model.md): an OMA DM job waiting
 * for its bootstrap needs the bootstrap; a download-link job by SMS or WAP push waiting for its
 * download needs the link sent; Mark for Installation sends nothing (the poll hands it over).
 * Shared by job creation and Retry so both send alike. The link is the job's own download
 * ticket, for a browser rather than the CE client ("link").
 */
import { statement, type Sql } from "@/lib/db/sql";
import type { OutboundMessageInput } from "./delivery";
import { publicBaseUrl } from "@/lib/downloads/public-url";
import { signTicket } from "@/lib/downloads/ticket";
import { serverOptions } from "@/lib/settings/server-options";
import { serverSecret } from "@/lib/settings/server-secret";
import type { InstallMethod, JobStatus } from "@/lib/installation-jobs/status-model";

/** The job as the message depends on it: its state after the change, from the job writer. */
export type JobForMessage = {
  id: number;
  deviceId: number;
  status: JobStatus;
  method: InstallMethod;
  /** Set once an OMA DM job fell back to a download link. */
  fallbackMethod: InstallMethod | null;
  packageId: string;
};

/** What the message needs beyond the job's state: the software, and the planned fallback. */
export type JobMessageFacts = { softwareId: number; softwareName: string; fileName: string | null; fallbackPlan: InstallMethod | null };

const jobMessageFactsSql = statement<JobMessageFacts & { jobId: number }>(
  "job_message_facts",
  `SELECT j.id AS "jobId", s.id AS "softwareId", s.name || ' ' || s.version AS "softwareName", s.file_name AS "fileName", j.fallback_plan AS "fallbackPlan"
     FROM installation_jobs j JOIN software s ON s.id = j.software_id WHERE j.id = ANY($1::int[])`,
);

export async function jobMessageFacts(tx: Sql, jobIds: number[]): Promise<Map<number, JobMessageFacts>> {
  return new Map((await tx.query(jobMessageFactsSql, [jobIds])).map(({ jobId, ...facts }) => [jobId, facts]));
}

export type LinkContext = { baseUrl: string; secret: Buffer; lifetimeSeconds: number; now: Date };

/** What a link needs, read before the caller's transaction (the secret may be a query of its own). */
export async function linkContext(origin: string, now: Date): Promise<LinkContext> {
  const [secret, options] = await Promise.all([serverSecret(), serverOptions()]);
  return { baseUrl: publicBaseUrl(origin), secret, lifetimeSeconds: options.linkLifetimeSeconds, now };
}

export function messageForJob(job: JobForMessage, facts: JobMessageFacts, device: { phoneNumber: string | null }, link: LinkContext): OutboundMessageInput | null {
  if (job.status === "WAITING_FOR_BOOTSTRAP") {
    return { kind: "BOOTSTRAP", jobId: job.id, deviceId: job.deviceId, recipient: device.phoneNumber, content: { server: link.baseUrl } };
  }
  const via = job.method === "OMA_DM" ? (job.fallbackMethod ?? facts.fallbackPlan) : job.method;
  if (job.status !== "WAITING_FOR_DOWNLOAD" || (via !== "SMS_PUSH" && via !== "WAP_PUSH")) return null;
  const expiresAt = new Date(link.now.getTime() + link.lifetimeSeconds * 1000);
  const url = `${link.baseUrl}/packages/${signTicket({ jobId: job.id, expiresAt, via: "link" }, link.secret)}/${encodeURIComponent(facts.fileName ?? `${job.packageId}.cab`)}`;
  // The SMS carries the text with the link; a WAP push's SI carries the title and the link apart.
  const title = `Install ${facts.softwareName}`;
  return { kind: via, jobId: job.id, deviceId: job.deviceId, recipient: device.phoneNumber, content: { text: `${title}: ${url}`, title, link: url, expiresAt: expiresAt.toISOString() } };
}

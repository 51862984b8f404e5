/**
 * PURE: whether a message can be sent again, and if not why, in words a page can show next to
 * where the fix is (the job page: retry it; the device page: a new bootstrap). The same
 * conditions resend.ts checks under its locks (messageForJob for a link, the device's bootstrap
 * under way for a bootstrap): pages ask here to decide whether to offer Resend at all, and
 * resend.ts has the last word, so a job that moved in between is refused there with a 409.
 */
import { methodLabel, statusLabel, type InstallMethod, type JobStatus } from "@/lib/installation-jobs/status-model";

export type ResendJob = {
  id: number;
  status: JobStatus;
  method: InstallMethod;
  fallbackMethod: InstallMethod | null;
  fallbackPlan: InstallMethod | null;
  cancelled: boolean;
};

export type ResendDevice = { bootstrapped: boolean; bootstrapUnderWay: boolean };

/** `fix`: where the reader can do something about it (null: nothing to do). */
export type ResendCheck = { ok: true } | { ok: false; reason: string; fix: "job" | "device" | null };

/** How the job's link travels: its own method, or for OMA DM the download-link method it falls back to. */
export function linkMethodOf(job: Pick<ResendJob, "method" | "fallbackMethod" | "fallbackPlan">): InstallMethod | null {
  return job.method === "OMA_DM" ? (job.fallbackMethod ?? job.fallbackPlan) : job.method;
}

/** Whether the job's download link can be sent again (a new message with a fresh ticket). */
export function linkResendCheck(job: ResendJob): ResendCheck {
  if (job.cancelled) return { ok: false, reason: "The job is cancelled: nothing is sent for it.", fix: null };
  const label = statusLabel(job.status);
  switch (job.status) {
    case "WAITING_FOR_DOWNLOAD": {
      const via = linkMethodOf(job);
      if (via === "SMS_PUSH" || via === "WAP_PUSH") return { ok: true };
      return { ok: false, reason: `The job's method (${methodLabel(via ?? job.method)}) sends no link: the device takes the package at its next poll.`, fix: null };
    }
    case "INSTALLATION_FAILED":
    case "UNKNOWN_STATUS":
      return { ok: false, reason: `The job is ${label}: retry the job.`, fix: "job" };
    case "WAITING_FOR_BOOTSTRAP":
      return { ok: false, reason: `The job is ${label}: its link goes out once the bootstrap is settled.`, fix: null };
    case "INSTALLING_SOFTWARE":
    case "INSTALLED_WAITING_FOR_VERIFICATION":
    case "DOWNLOADED_WAITING_FOR_VERIFICATION":
    case "INSTALLED":
    case "DOWNLOADED":
    case "INSTALLED_VERIFIED":
    case "DOWNLOADED_VERIFIED":
      return { ok: false, reason: `The job is ${label}: it no longer waits for its download.`, fix: null };
  }
}

/** Whether this message can be sent again: a link message through its job, a bootstrap while the device's is under way. */
export function messageResendCheck(message: { kind: string; job: ResendJob | null; device: ResendDevice }): ResendCheck {
  if (message.kind === "BOOTSTRAP") {
    if (message.device.bootstrapped) return { ok: false, reason: "The device is bootstrapped already: there is nothing to send again.", fix: null };
    if (!message.device.bootstrapUnderWay) return { ok: false, reason: "The device's bootstrap is settled: send a new one from the device page.", fix: "device" };
    return { ok: true };
  }
  if (!message.job) return { ok: false, reason: "Its job was removed: there is no link to send.", fix: null };
  return linkResendCheck(message.job);
}

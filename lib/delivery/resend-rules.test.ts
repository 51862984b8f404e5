import { describe, expect, it } from "vitest";
import { JOB_STATUSES, type JobStatus } from "@/lib/installation-jobs/status-model";
import { linkMethodOf, linkResendCheck, messageResendCheck, type ResendJob } from "./resend-rules";

const job = (patch: Partial<ResendJob> = {}): ResendJob => ({ id: 7, status: "WAITING_FOR_DOWNLOAD", method: "SMS_PUSH", fallbackMethod: null, fallbackPlan: null, cancelled: false, ...patch });
const device = { bootstrapped: false, bootstrapUnderWay: true };

describe("whether a link can be sent again", () => {
  it("only while a push job waits for its download", () => {
    const allowed = JOB_STATUSES.filter((status) => linkResendCheck(job({ status })).ok);
    expect(allowed).toEqual<JobStatus[]>(["WAITING_FOR_DOWNLOAD"]);
    expect(linkResendCheck(job({ method: "WAP_PUSH" }))).toEqual({ ok: true });
  });

  it("by an OMA DM job's fallback (taken, or planned)", () => {
    expect(linkMethodOf(job({ method: "OMA_DM", fallbackMethod: "WAP_PUSH", fallbackPlan: "SMS_PUSH" }))).toBe("WAP_PUSH");
    expect(linkResendCheck(job({ method: "OMA_DM", fallbackPlan: "SMS_PUSH" }))).toEqual({ ok: true });
    expect(linkResendCheck(job({ method: "OMA_DM" }))).toMatchObject({ ok: false, reason: "The job's method (OMA DM) sends no link: the device takes the package at its next poll." });
    expect(linkResendCheck(job({ method: "MARK_FOR_INSTALLATION" }))).toMatchObject({ ok: false, reason: expect.stringContaining("(Mark for Installation) sends no link") });
  });

  it("says why not, and where the fix is", () => {
    expect(linkResendCheck(job({ status: "INSTALLATION_FAILED" }))).toEqual({ ok: false, reason: "The job is Installation failed: retry the job.", fix: "job" });
    expect(linkResendCheck(job({ status: "UNKNOWN_STATUS" }))).toEqual({ ok: false, reason: "The job is Unknown status: retry the job.", fix: "job" });
    expect(linkResendCheck(job({ status: "INSTALLED" }))).toEqual({ ok: false, reason: "The job is Installed: it no longer waits for its download.", fix: null });
    expect(linkResendCheck(job({ cancelled: true }))).toEqual({ ok: false, reason: "The job is cancelled: nothing is sent for it.", fix: null });
    for (const status of JOB_STATUSES) {
      const check = linkResendCheck(job({ status }));
      if (!check.ok) expect(check.reason).toMatch(/^The job/);
    }
  });
});

describe("whether a message can be sent again", () => {
  it("a link message through its job", () => {
    expect(messageResendCheck({ kind: "SMS_PUSH", job: job(), device })).toEqual({ ok: true });
    expect(messageResendCheck({ kind: "WAP_PUSH", job: job({ status: "INSTALLATION_FAILED" }), device })).toMatchObject({ ok: false, fix: "job" });
    expect(messageResendCheck({ kind: "SMS_PUSH", job: null, device })).toEqual({ ok: false, reason: "Its job was removed: there is no link to send.", fix: null });
  });

  it("a bootstrap while the device's is under way, whatever its job", () => {
    expect(messageResendCheck({ kind: "BOOTSTRAP", job: null, device })).toEqual({ ok: true });
    expect(messageResendCheck({ kind: "BOOTSTRAP", job: job({ status: "WAITING_FOR_BOOTSTRAP", method: "OMA_DM" }), device })).toEqual({ ok: true });
    expect(messageResendCheck({ kind: "BOOTSTRAP", job: null, device: { bootstrapped: false, bootstrapUnderWay: false } })).toMatchObject({ ok: false, fix: "device" });
    expect(messageResendCheck({ kind: "BOOTSTRAP", job: null, device: { bootstrapped: true, bootstrapUnderWay: false } })).toMatchObject({ ok: false, fix: null });
  });
});

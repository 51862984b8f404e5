/** Job actions through /api/v1/jobs: cancel leaves the poll, and the rules of who and when. */
import { describe, expect, it } from "vitest";
import { POST as cancel } from "@/app/api/v1/jobs/[jobId]/cancel/route";
import { GET as getJob } from "@/app/api/v1/jobs/[jobId]/route";
import { db } from "@/lib/db/client";
import { createTestDevice, createTestJob, createTestBearer, createTestSoftware } from "@/lib/testing/factories";

const tokenFor = async (role: "superuser" | "readonly") => (await createTestBearer(role)).token;
const req = (token: string, method = "GET") => new Request("http://local", { method, headers: { authorization: `Bearer ${token}` } });
const at = (id: number | string) => ({ params: Promise.resolve({ jobId: String(id) }) });

describe("/api/v1/jobs/{id}", () => {
  it("shows a job with its history, and cancelling takes its package out of the poll list", async () => {
    const token = await tokenFor("superuser");
    const device = await createTestDevice();
    const software = await createTestSoftware();
    const job = await createTestJob(device.id, software.id);
    const shown = await getJob(req(token), at(job.id));
    expect(shown.status).toBe(200);
    const body = (await shown.json()) as { status: string; history: { statusAfter: string }[] };
    expect(body.status).toBe("Waiting for download");
    expect(body.history[0]?.statusAfter).toBe("Waiting for download");
    expect((await db().device.findUniqueOrThrow({ where: { id: device.id } })).applicablePackages).toContain(software.packageId);

    const cancelled = await cancel(req(token, "POST"), at(job.id));
    expect(cancelled.status).toBe(200);
    expect((await db().device.findUniqueOrThrow({ where: { id: device.id } })).applicablePackages).not.toContain(software.packageId);
    expect((await cancel(req(token, "POST"), at(job.id))).status).toBe(409);
  });

  it("403 for Read-only, 404 for unknown jobs", async () => {
    const token = await tokenFor("readonly");
    expect((await cancel(req(token, "POST"), at(1))).status).toBe(403);
    expect((await getJob(req(token), at(999999999))).status).toBe(404);
    expect((await getJob(req(token), at("abc"))).status).toBe(404);
  });
});

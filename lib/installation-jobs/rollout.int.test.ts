/**
 * Gradual installs on a real database: the first release with the batch, the rest by the sweep
 * as time passes (driven by passing `now`: each test runs on a day of its own, tomorrow or
 * later, so the real clock's sweeps and other tests' batches never meet it), the daily window,
 * the automatic pause and its numbers, pause and resume with their permissions, skipped
 * targets, and concurrent sweeps that must not create a job twice.
 */
import { describe, expect, it } from "vitest";
import { POST as install } from "@/app/api/v1/jobs/route";
import { POST as pauseRoute } from "@/app/api/v1/batches/[batchId]/pause/route";
import { POST as resumeRoute } from "@/app/api/v1/batches/[batchId]/resume/route";
import { db } from "@/lib/db/client";
import { handleDeviceMessage } from "@/lib/device-endpoint/registry";
import { removeDevice } from "@/lib/devices/manage-devices";
import { withdrawSoftwareEntry } from "@/lib/software/manage-software";
import { createTestBearer, createTestDevice, createTestJob, createTestSoftware, createTestUser, statusXml, type TestDevice } from "@/lib/testing/factories";
import { getBatch } from "./batches";
import { createInstallBatch } from "./install-batch";
import { advanceRollout, pauseBatchAs, releaseRollouts, resumeBatchAs } from "./rollout";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
let dayOffset = 1 + Math.floor(Math.random() * 300);
/** A UTC day no other test uses: `at(h, m)` on it. */
function freshDay() {
  const base = Math.floor(Date.now() / DAY) * DAY + dayOffset++ * DAY;
  return (h: number, m = 0) => new Date(base + h * HOUR + m * MIN);
}

async function gradual(n: number, rollout: Record<string, unknown>, now: Date, method = "MARK_FOR_INSTALLATION") {
  const { actor } = await createTestUser("superuser");
  const devices: TestDevice[] = [];
  for (let i = 0; i < n; i++) devices.push(await createTestDevice());
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`rollout ${Math.random()}`));
  // Chosen in reverse id order: the release follows the order chosen, not the ids.
  const uuids = devices.map((d) => d.deviceUuid).reverse();
  const batch = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: uuids, method, rollout }, "http://console.test", now);
  return { actor, devices, uuids, software, batch };
}

/** The minute sweep for one batch, from `from` to `to` inclusive. */
async function sweepMinutes(batchId: number, from: Date, to: Date) {
  for (let t = from.getTime(); t <= to.getTime(); t += MIN) await advanceRollout(batchId, new Date(t));
}

const jobsOf = (batchId: number) => db().installationJob.findMany({ where: { batchId }, orderBy: { id: "asc" }, select: { id: true, deviceId: true, createdAt: true, device: { select: { deviceUuid: true } } } });
const batchRow = (id: number) => db().installBatch.findUniqueOrThrow({ where: { id } });

function report(device: TestDevice, packageId: string, messageId: "11031" | "11032") {
  return handleDeviceMessage({
    method: "POST",
    path: "/api/dm",
    query: {},
    headers: { "x-device-uuid": [device.deviceUuid], "x-device-auth": [device.token], "x-device-action": ["Status"] },
    body: Buffer.from(statusXml([{ packageId, messageId, timestamp: "2026-11-20 10:00:00", returnCode: messageId === "11032" ? "5" : "0" }])),
    origin: "http://localhost",
    remoteAddress: null,
  });
}

describe("a gradual install", () => {
  it("releases N in the first hour, one every 60/N minutes in the order chosen, and the rest later", async () => {
    const at = freshDay();
    const { uuids, batch } = await gradual(5, { perHour: 3 }, at(10));
    expect(batch.jobs.map((j) => j.deviceUuid)).toEqual([uuids[0]]);
    expect(batch.rollout).toEqual({ targets: 5, released: 1, nextReleaseAt: at(10, 20).toISOString() });
    const targets = await db().installBatchTarget.findMany({ where: { batchId: batch.batchId }, orderBy: { position: "asc" } });
    expect(targets.map((t) => t.deviceUuid)).toEqual(uuids);
    expect(targets.map((t) => t.releasedAt !== null)).toEqual([true, false, false, false, false]);

    await sweepMinutes(batch.batchId, at(10, 1), at(10, 59));
    const firstHour = await jobsOf(batch.batchId);
    expect(firstHour.map((j) => j.device.deviceUuid)).toEqual(uuids.slice(0, 3));
    expect(firstHour.map((j) => j.createdAt.toISOString())).toEqual([at(10), at(10, 20), at(10, 40)].map((d) => d.toISOString()));
    expect(await getBatch(batch.batchId, at(10, 59))).toMatchObject({ jobCount: 3, rollout: { released: 3, targets: 5, state: "releasing", nextReleaseAt: at(11).toISOString() } });

    await sweepMinutes(batch.batchId, at(11), at(11, 30));
    expect(await jobsOf(batch.batchId)).toHaveLength(5);
    const done = await batchRow(batch.batchId);
    expect(done).toMatchObject({ releasedCount: 5, jobCount: 5, nextReleaseAt: null });
    expect((await getBatch(batch.batchId, at(12)))!.rollout).toMatchObject({ state: "released", nextReleaseAt: null, released: 5 });
    // Nothing more, however long the sweep goes on.
    await advanceRollout(batch.batchId, at(20));
    expect(await jobsOf(batch.batchId)).toHaveLength(5);
  });

  it("the housekeeping sweep releases what is due across batches", async () => {
    const at = freshDay();
    const a = await gradual(3, { perHour: 60 }, at(9));
    const b = await gradual(3, { perHour: 30 }, at(9));
    const result = await releaseRollouts(at(9, 2), { deadline: Date.now() + 30_000, batchSize: 500 });
    expect(result.name).toBe("rollout releases");
    expect(await jobsOf(a.batch.batchId)).toHaveLength(3);
    expect(await jobsOf(b.batch.batchId)).toHaveLength(2);
  });

  it("holds releases back outside its daily window (22:00–06:00 across midnight) and starts at the opening", async () => {
    const at = freshDay();
    const { batch } = await gradual(10, { perHour: 60, windowStart: "22:00", windowEnd: "06:00" }, at(12));
    expect(batch.jobs).toEqual([]);
    expect(batch.rollout).toEqual({ targets: 10, released: 0, nextReleaseAt: at(22).toISOString() });
    expect((await getBatch(batch.batchId, at(12)))!.rollout).toMatchObject({ state: "waiting_for_window", nextReleaseAt: at(22).toISOString(), window: { from: "22:00", to: "06:00" } });
    await advanceRollout(batch.batchId, at(13));
    await advanceRollout(batch.batchId, at(21, 59));
    expect(await jobsOf(batch.batchId)).toHaveLength(0);
    await sweepMinutes(batch.batchId, at(22), at(22, 2));
    expect(await jobsOf(batch.batchId)).toHaveLength(3);
    // Past midnight still inside; at the close, nothing.
    await advanceRollout(batch.batchId, at(24 + 5, 59));
    expect(await jobsOf(batch.batchId)).toHaveLength(4);
    await advanceRollout(batch.batchId, at(24 + 6));
    await advanceRollout(batch.batchId, at(24 + 12));
    expect(await jobsOf(batch.batchId)).toHaveLength(4);
    expect((await batchRow(batch.batchId)).nextReleaseAt).toEqual(at(24 + 22));
  });

  it("pauses itself once the failure rate passes the threshold, saying the numbers, once; then releases nothing", async () => {
    const at = freshDay();
    const { devices, uuids, software, batch } = await gradual(12, { perHour: 60, failureThresholdPercent: 20, minFinished: 5 }, at(8));
    await sweepMinutes(batch.batchId, at(8, 1), at(8, 5));
    const released = await jobsOf(batch.batchId);
    expect(released).toHaveLength(6);
    const device = (uuid: string) => devices.find((d) => d.deviceUuid === uuid)!;
    // 2 of 5 finished fail: 40 %.
    for (const uuid of uuids.slice(0, 2)) expect((await report(device(uuid), software.packageId, "11032")).status).toBe(200);
    for (const uuid of uuids.slice(2, 5)) expect((await report(device(uuid), software.packageId, "11031")).status).toBe(200);
    const done = await releaseRollouts(at(8, 5), { deadline: Date.now() + 30_000, batchSize: 500 });
    expect(done.changed).toBeGreaterThanOrEqual(1);
    const paused = await batchRow(batch.batchId);
    expect(paused).toMatchObject({ pauseReason: "failure rate 40 % (2 of 5 finished) passed the 20 % threshold", pausedBy: null, nextReleaseAt: null, releasedCount: 6 });
    expect(paused.pausedAt).toEqual(at(8, 5));
    await sweepMinutes(batch.batchId, at(8, 6), at(8, 20));
    expect(await jobsOf(batch.batchId)).toHaveLength(6);
    expect((await batchRow(batch.batchId)).pausedAt).toEqual(at(8, 5));
    expect(await db().auditEvent.count({ where: { action: "batch.auto_pause", targetId: String(batch.batchId) } })).toBe(1);
    const view = (await getBatch(batch.batchId, at(8, 20)))!.rollout!;
    expect(view).toMatchObject({ state: "paused", failed: 2, finished: 5, pausedBy: null, nextReleaseAt: null });
  });

  it("waits for the minimum of finished jobs before judging the rate", async () => {
    const at = freshDay();
    const { devices, uuids, software, batch } = await gradual(4, { perHour: 60, failureThresholdPercent: 10 }, at(8));
    await sweepMinutes(batch.batchId, at(8, 1), at(8, 1));
    const device = devices.find((d) => d.deviceUuid === uuids[0])!;
    await report(device, software.packageId, "11032");
    await advanceRollout(batch.batchId, at(8, 2));
    // One of one failed, but the default minimum is 10 finished.
    expect(await batchRow(batch.batchId)).toMatchObject({ pausedAt: null, minFinished: 10, releasedCount: 3 });
  });

  it("resume goes on with the schedule (no burst) and the failure rule counts from the resume", async () => {
    const at = freshDay();
    const { actor, devices, uuids, software, batch } = await gradual(8, { perHour: 6, failureThresholdPercent: 50, minFinished: 2 }, at(10));
    const device = (uuid: string) => devices.find((d) => d.deviceUuid === uuid)!;
    await sweepMinutes(batch.batchId, at(10, 10), at(10, 10));
    await report(device(uuids[0]!), software.packageId, "11032");
    await report(device(uuids[1]!), software.packageId, "11032");
    await advanceRollout(batch.batchId, at(10, 15));
    expect((await batchRow(batch.batchId)).pauseReason).toBe("failure rate 100 % (2 of 2 finished) passed the 50 % threshold");

    await resumeBatchAs(actor, batch.batchId, at(10, 16));
    // The job due at 10:20 was not made up early; it goes out on time, and the two old failures
    // no longer count.
    expect(await jobsOf(batch.batchId)).toHaveLength(2);
    await sweepMinutes(batch.batchId, at(10, 17), at(10, 30));
    const after = await jobsOf(batch.batchId);
    expect(after.map((j) => j.createdAt.toISOString())).toEqual([at(10), at(10, 10), at(10, 20), at(10, 30)].map((d) => d.toISOString()));
    expect(await batchRow(batch.batchId)).toMatchObject({ pausedAt: null, failedAtResume: 2, finishedAtResume: 2 });
    // Since the resume 1 of 2 failed (50 %, not above); counted from the start it would be 3 of 4.
    await report(device(uuids[2]!), software.packageId, "11031");
    await report(device(uuids[3]!), software.packageId, "11032");
    await advanceRollout(batch.batchId, at(10, 31));
    expect((await batchRow(batch.batchId)).pausedAt).toBeNull();
    await sweepMinutes(batch.batchId, at(10, 32), at(10, 40));
    await report(device(uuids[4]!), software.packageId, "11032");
    await advanceRollout(batch.batchId, at(10, 41));
    expect((await batchRow(batch.batchId)).pauseReason).toBe("failure rate 66.7 % (2 of 3 finished since the resume) passed the 50 % threshold");
    expect(await db().auditEvent.count({ where: { action: "batch.resume", targetId: String(batch.batchId) } })).toBe(1);
  });

  it("pause and resume: Admin and Superuser through the API, 403 for Read-only, 409 and 404 with reasons", async () => {
    const at = freshDay();
    const { batch } = await gradual(3, { perHour: 1 }, at(10));
    const call = async (route: typeof pauseRoute, token: string, id: number | string) => {
      const res = await route(new Request(`http://console.test/api/v1/batches/${id}/x`, { method: "POST", headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ batchId: String(id) }) });
      return { status: res.status, body: (await res.json()) as { error?: { message: string }; rollout?: { state: string; pausedBy: string | null } } };
    };
    const readonly = await createTestBearer("readonly");
    expect((await call(pauseRoute, readonly.token, batch.batchId)).status).toBe(403);
    expect((await batchRow(batch.batchId)).pausedAt).toBeNull();

    const admin = await createTestBearer("admin");
    const paused = await call(pauseRoute, admin.token, batch.batchId);
    expect(paused.status).toBe(200);
    expect(paused.body.rollout).toMatchObject({ state: "paused", pausedBy: admin.user.email });
    const again = await call(pauseRoute, admin.token, batch.batchId);
    expect(again).toMatchObject({ status: 409, body: { error: { message: `Installation ${batch.batchId} is paused already.` } } });
    expect((await call(resumeRoute, readonly.token, batch.batchId)).status).toBe(403);
    const superuser = await createTestBearer("superuser");
    expect((await call(resumeRoute, superuser.token, batch.batchId)).body.rollout).toMatchObject({ state: "releasing", pausedBy: null });
    expect((await call(resumeRoute, superuser.token, batch.batchId)).status).toBe(409);
    expect((await call(pauseRoute, superuser.token, 999_999_999)).status).toBe(404);
    expect((await call(pauseRoute, superuser.token, "abc")).status).toBe(404);
    const audit = await db().auditEvent.findMany({ where: { targetType: "batch", targetId: String(batch.batchId), action: { in: ["batch.pause", "batch.resume"] } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.userEmail])).toEqual([
      ["batch.pause", admin.user.email],
      ["batch.resume", superuser.user.email],
    ]);

    // The service refuses on its own too, and an install released at once has nothing to pause.
    const reader = await createTestUser("readonly");
    await expect(pauseBatchAs(reader.actor, batch.batchId)).rejects.toThrow(/Read-only may not do this/);
    const { actor } = await createTestUser("superuser");
    const device = await createTestDevice();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`at once ${Math.random()}`));
    const atOnce = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [device.deviceUuid], method: "MARK_FOR_INSTALLATION" });
    await expect(pauseBatchAs(actor, atOnce.batchId)).rejects.toThrow(/released all at once/);
    expect(atOnce.rollout).toBeNull();
    expect((await getBatch(atOnce.batchId))!.rollout).toBeNull();
  });

  it("skips a target whose device was removed or got an unfinished job for the software meanwhile, saying why", async () => {
    const at = freshDay();
    const { actor, devices, uuids, software, batch } = await gradual(4, { perHour: 60 }, at(10));
    const byUuid = (u: string) => devices.find((d) => d.deviceUuid === u)!;
    await removeDevice(actor, uuids[1]!);
    const other = await createTestJob(byUuid(uuids[2]!).id, software.id);
    await advanceRollout(batch.batchId, at(10, 1));
    const targets = await db().installBatchTarget.findMany({ where: { batchId: batch.batchId }, orderBy: { position: "asc" } });
    expect(targets.map((t) => t.skippedReason)).toEqual([null, "the device was removed", `the device already had an unfinished job for ${software.name} 1.0 (job ${other.id})`, null]);
    // A skipped target uses no slot: the minute's job went to the next device.
    expect(targets.map((t) => t.jobId !== null)).toEqual([true, false, false, true]);
    expect(await batchRow(batch.batchId)).toMatchObject({ releasedCount: 4, jobCount: 2, nextReleaseAt: null });
    const view = (await getBatch(batch.batchId, at(10, 2)))!.rollout!;
    expect(view).toMatchObject({ skipped: 2, released: 4, state: "released" });
    expect(view.skippedTargets.map((t) => [t.deviceUuid, t.deviceName])).toEqual([
      [uuids[1], null],
      [uuids[2], byUuid(uuids[2]!).name],
    ]);
  });

  it("a withdrawn software skips every target left", async () => {
    const at = freshDay();
    const { actor, software, batch } = await gradual(3, { perHour: 1 }, at(10));
    await withdrawSoftwareEntry(actor, software.id);
    await advanceRollout(batch.batchId, at(11));
    expect(await batchRow(batch.batchId)).toMatchObject({ releasedCount: 3, jobCount: 1, nextReleaseAt: null });
    expect(await db().installBatchTarget.count({ where: { batchId: batch.batchId, skippedReason: `${software.name} 1.0 is withdrawn.` } })).toBe(2);
  });

  it("concurrent sweeps release each target once", async () => {
    const at = freshDay();
    const { batch } = await gradual(30, { perHour: 600 }, at(10));
    const now = at(10, 2);
    await Promise.all([advanceRollout(batch.batchId, now), advanceRollout(batch.batchId, now), releaseRollouts(now, { deadline: Date.now() + 30_000, batchSize: 500 }), advanceRollout(batch.batchId, now)]);
    const jobs = await jobsOf(batch.batchId);
    // The first at 10:00, then one every 6 s up to 10:02.
    expect(jobs).toHaveLength(21);
    expect(new Set(jobs.map((j) => j.deviceId)).size).toBe(21);
    expect(await db().installBatchTarget.count({ where: { batchId: batch.batchId, jobId: { not: null } } })).toBe(21);
    expect(await batchRow(batch.batchId)).toMatchObject({ releasedCount: 21, jobCount: 21 });
  });

  it("POST /api/v1/jobs takes the release plan and refuses a bad one with the field named", async () => {
    const { token } = await createTestBearer("superuser");
    const device = await createTestDevice();
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`api ${Math.random()}`));
    const post = (rollout: unknown) =>
      install(new Request("http://console.test/api/v1/jobs", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ softwareId: software.id, deviceUuids: [device.deviceUuid], method: "SMS_PUSH", rollout }) }), { params: Promise.resolve({}) });
    const bad: [unknown, string, string][] = [
      [{ perHour: 0 }, "rollout.perHour", "Release between 1 and 10,000 jobs an hour, a whole number."],
      [{}, "rollout.perHour", "Release between 1 and 10,000 jobs an hour, a whole number."],
      [{ perHour: 2.5 }, "rollout.perHour", "Release between 1 and 10,000 jobs an hour, a whole number."],
      [{ perHour: 5, windowStart: "22:00" }, "rollout.windowEnd", "Give the window's end too (or neither end)."],
      [{ perHour: 5, windowStart: "25:00", windowEnd: "06:00" }, "rollout.windowStart", "The window's start is a time of day in UTC as HH:MM, 00:00 to 23:59."],
      [{ perHour: 5, windowStart: "06:00", windowEnd: "06:00" }, "rollout.windowEnd", "The window ends when it starts: it would never be open. Leave both empty to release at any time."],
      [{ perHour: 5, failureThresholdPercent: 100 }, "rollout.failureThresholdPercent", "The failure threshold is a whole percent from 0 to 99 (above it the release pauses)."],
      [{ perHour: 5, minFinished: 3 }, "rollout.failureThresholdPercent", "Give the failure threshold the minimum of finished jobs is for (or leave both empty)."],
      [{ perHour: 5, every: "day" }, "rollout", "The gradual release is an object: perHour, and optionally windowStart, windowEnd, failureThresholdPercent, minFinished."],
      ["fast", "rollout", "The gradual release is an object: perHour, and optionally windowStart, windowEnd, failureThresholdPercent, minFinished."],
    ];
    for (const [rollout, field, message] of bad) {
      const res = await post(rollout);
      expect(res.status, JSON.stringify(rollout)).toBe(422);
      expect(((await res.json()) as { error: { fields: { field: string; message: string }[] } }).error.fields).toContainEqual({ field, message });
    }
    expect(await db().installationJob.count({ where: { deviceId: device.id } })).toBe(0);
    const ok = await post({ perHour: 2, failureThresholdPercent: 25 });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as { batchId: number; jobs: { status: string }[]; rollout: { targets: number; released: number } };
    expect(body).toMatchObject({ jobs: [{ status: "Waiting for download" }], rollout: { targets: 1, released: 1, nextReleaseAt: null } });
    expect(await batchRow(body.batchId)).toMatchObject({ perHour: 2, failureThresholdPercent: 25, minFinished: 10, linkOrigin: "http://console.test" });
    expect(await db().outboundMessage.count({ where: { jobId: (await jobsOf(body.batchId))[0]!.id, kind: "SMS_PUSH" } })).toBe(1);
  });
});

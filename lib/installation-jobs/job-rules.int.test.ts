/**
 * Three rules of job state that no other test pinned (each was broken on purpose and the suite
 * still passed): a replayed report changes nothing; a report moves the newest job of its
 * package, not an older one; completed_at is set once and never moved. Real PostgreSQL.
 */
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { createTestDevice, createTestJob, createTestSoftware, statusXml } from "@/lib/testing/factories";
import { syncClientVersion } from "@/lib/devices/client-version";
import { applyStatusReport } from "./apply-status-report";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

const MINUTE = 60_000;
const T = new Date("2026-11-20T10:00:00Z");
const at = (minutes: number) => new Date(T.getTime() + minutes * MINUTE);

/** As the endpoint does: a reported client version is synchronized first, then the report applied. */
async function send(deviceId: number, body: string, now: Date, clientVersion: string | null = null) {
  const known = (await db().device.findUniqueOrThrow({ where: { id: deviceId } })).clientVersion;
  await syncClientVersion(deviceId, known, clientVersion, now);
  await applyStatusReport({ deviceId, report: parseStatusReport(body), rawBody: body, headers: {}, now });
}
const doc = (packageId: string, messageId: string, timestamp: string, returnCode = "0") => statusXml([{ packageId, messageId, timestamp, returnCode }]);
const jobRow = (id: number) => db().installationJob.findUniqueOrThrow({ where: { id } });
const logCount = (deviceId: number) => db().installationLogEntry.count({ where: { deviceId } });

describe("job rules", () => {
  it("a replayed report changes nothing, whenever it is replayed", async () => {
    const device = await createTestDevice();
    const software = await createTestSoftware();
    const job = await createTestJob(device.id, software.id, "MARK_FOR_INSTALLATION", T);
    const p = software.packageId;
    // A failed attempt, a retry and its success: each step followed by every earlier document again.
    const steps = [
      doc(p, "11030", "2026-11-20 10:00:00"),
      doc(p, "11032", "2026-11-20 10:01:00", "0x80072EE7"),
      doc(p, "11030", "2026-11-20 10:05:00"),
      doc(p, "99999", "2026-11-20 10:06:00", "7"),
      doc(p, "11031", "2026-11-20 10:07:00"),
      doc(p, "11035", "2026-11-20 10:08:00"),
    ];
    for (const [i, body] of steps.entries()) {
      await send(device.id, body, at(i + 1));
      const after = await jobRow(job.id);
      const logged = await logCount(device.id);
      const messages = await db().deviceMessage.count({ where: { deviceId: device.id } });
      for (const [k, earlier] of steps.slice(0, i + 1).entries()) await send(device.id, earlier, at(i + 1 + (k + 1) / 100));
      expect(await jobRow(job.id), `replays after step ${i + 1}`).toEqual(after);
      expect(await logCount(device.id)).toBe(logged);
      expect(await db().deviceMessage.count({ where: { deviceId: device.id } })).toBe(messages);
    }
    expect((await jobRow(job.id)).status).toBe("DOWNLOADED");
  });

  it("a report moves the newest job of its package on that device, not an older one", async () => {
    const device = await createTestDevice();
    const software = await createTestSoftware();
    const p = software.packageId;
    // An earlier install of the package, finished; then a new job for the same package.
    const older = await createTestJob(device.id, software.id, "MARK_FOR_INSTALLATION", at(0));
    await send(device.id, doc(p, "11031", "2026-11-20 10:00:00"), at(1));
    const olderBefore = await jobRow(older.id);
    expect(olderBefore.status).toBe("DOWNLOADED");
    const newer = await createTestJob(device.id, software.id, "MARK_FOR_INSTALLATION", at(2));

    await send(device.id, doc(p, "11030", "2026-11-20 10:10:00"), at(3));
    expect((await jobRow(newer.id)).status).toBe("INSTALLING_SOFTWARE");
    await send(device.id, doc(p, "11032", "2026-11-20 10:11:00"), at(4));
    expect((await jobRow(newer.id)).status).toBe("INSTALLATION_FAILED");
    expect(await jobRow(older.id)).toEqual(olderBefore);
    const olderLog = await db().installationLogEntry.count({ where: { jobId: older.id } });
    expect(olderLog).toBe(2); // created, 11031
  });

  it("completed_at is set once, when the job enters the Installed table, and never moved by a later report", async () => {
    const device = await createTestDevice({ clientVersion: "1.0" });
    const other = await createTestSoftware("OTHER_SOFTWARE");
    const otherJob = await createTestJob(device.id, other.id, "MARK_FOR_INSTALLATION", T);
    await send(device.id, doc(other.packageId, "11031", "2026-11-20 10:01:00"), at(1));
    expect((await jobRow(otherJob.id)).completedAt).toEqual(at(1));
    await send(device.id, doc(other.packageId, "11035", "2026-11-20 10:02:00"), at(2));
    await send(device.id, doc(other.packageId, "11031", "2026-11-20 09:59:00"), at(3)); // an earlier success, arriving late
    await send(device.id, doc(other.packageId, "11030", "2026-11-20 10:30:00"), at(4));
    const done = await jobRow(otherJob.id);
    expect(done).toMatchObject({ status: "DOWNLOADED", completedAt: at(1), executedAt: at(2) });

    // A DME client enters the Installed table when verified, not when downloaded.
    const dme = await createTestSoftware("DME_CLIENT", "2.0");
    const dmeJob = await createTestJob(device.id, dme.id, "SMS_PUSH", T);
    await send(device.id, doc(dme.packageId, "11031", "2026-11-20 10:05:00"), at(5));
    expect((await jobRow(dmeJob.id)).completedAt).toBeNull();
    await send(device.id, statusXml([]), at(6), "2.0");
    expect(await jobRow(dmeJob.id)).toMatchObject({ status: "DOWNLOADED_VERIFIED", completedAt: at(6) });
    await send(device.id, doc(dme.packageId, "11035", "2026-11-20 10:07:00"), at(7));
    await send(device.id, statusXml([]), at(8), "2.1");
    await send(device.id, statusXml([]), at(9), "2.0");
    expect((await jobRow(dmeJob.id)).completedAt).toEqual(at(6));
  });
});

describe("the same rules when reports share a transaction (group commit)", () => {
  it("many devices' reports, replayed and out of order, sent at once: batched, and every job ends as applied in device-time order", async () => {
    const { applyStatusReport: submit, statusReportBatchStats } = await import("./apply-status-report");
    const before = statusReportBatchStats();
    const fleet = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const device = await createTestDevice();
        const software = await createTestSoftware();
        const job = await createTestJob(device.id, software.id, "MARK_FOR_INSTALLATION", T);
        return { device, software, job };
      }),
    );
    const sends = fleet.flatMap(({ device, software }, i) => {
      const p = software.packageId;
      const docs = [
        doc(p, "11030", "2026-11-20 10:00:00"),
        doc(p, "11032", "2026-11-20 10:01:00", "0x80072EE7"),
        doc(p, "11030", "2026-11-20 10:05:00"),
        doc(p, "11031", "2026-11-20 10:07:00"),
      ];
      const order = i % 2 ? [...docs].reverse() : docs;
      return [...order, ...order.slice(0, 2)].map((body) => ({ deviceId: device.id, body }));
    });
    await Promise.all(sends.map(({ deviceId, body }) => submit({ deviceId, report: parseStatusReport(body), rawBody: body, headers: {}, now: at(1) })));
    const after = statusReportBatchStats();
    expect(after.items - before.items).toBe(sends.length);
    expect(after.batches - before.batches).toBeLessThan(sends.length); // they did share transactions
    for (const { device, job } of fleet) {
      expect(await jobRow(job.id)).toMatchObject({ status: "DOWNLOADED", lastMessageId: "11031" });
      expect(await db().installationLogEntry.count({ where: { jobId: job.id, messageId: { not: null } } })).toBe(4);
      expect(await db().deviceMessage.count({ where: { deviceId: device.id } })).toBe(4);
    }
  });

  it("one bad report fails alone; its batch-mates commit", async () => {
    const { applyStatusReport: submit } = await import("./apply-status-report");
    const good = await Promise.all(Array.from({ length: 8 }, async () => {
      const device = await createTestDevice();
      const software = await createTestSoftware();
      const job = await createTestJob(device.id, software.id, "MARK_FOR_INSTALLATION", T);
      return { device, software, job };
    }));
    const body = (p: string) => doc(p, "11030", "2026-11-20 10:00:00");
    const results = await Promise.allSettled([
      ...good.map(({ device, software }) => submit({ deviceId: device.id, report: parseStatusReport(body(software.packageId)), rawBody: body(software.packageId), headers: {}, now: at(1) })),
      // A device that no longer exists (deleted while its report was in flight).
      submit({ deviceId: 2_000_000_000, report: parseStatusReport(body("X")), rawBody: body("X"), headers: {}, now: at(1) }),
    ]);
    expect(results.map((r) => r.status)).toEqual([...Array(8).fill("fulfilled"), "rejected"]);
    for (const { job } of good) expect((await jobRow(job.id)).status).toBe("INSTALLING_SOFTWARE");
  });
});

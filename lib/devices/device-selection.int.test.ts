/**
 * The filters that name other tables (group, clientBelow, hide) and device selections, against
 * a real database: each filter keeps exactly the devices its label promises, and a selection by
 * filter or group names the devices the list shows. Each test's devices share a unique platform,
 * so tests share the database.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { isAppError } from "@/lib/errors";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { applyStatusReport } from "@/lib/installation-jobs/apply-status-report";
import { createTestDevice, createTestSoftware, statusXml } from "@/lib/testing/factories";
import { addToGroup, createGroup } from "./device-groups";
import { resolveDeviceSelection } from "./device-selection";
import { listDevicesPage } from "./list-devices";
import { parseDeviceListParams } from "./list-devices-params";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

const platform = () => `P${randomUUID().slice(0, 12)}`;

async function fleet(p: string, versions: (string | null)[]) {
  const out = [];
  for (const [i, v] of versions.entries()) {
    const d = await createTestDevice();
    await db().device.update({ where: { id: d.id }, data: { platform: p, clientVersion: v, name: `${p} ${i} ${v ?? "none"}` } });
    out.push({ ...d, version: v });
  }
  return out;
}

async function names(query: Record<string, string | string[]>): Promise<string[]> {
  const parsed = parseDeviceListParams(query);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return (await listDevicesPage(parsed.value)).rows.map((r) => r.name).sort();
}

async function issueOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error, "VALIDATION_FAILED")) return error.details?.fields;
    throw error;
  }
  throw new Error("expected a validation failure");
}

describe("devices-list filters that name other tables", () => {
  it("clientBelow keeps lower versions in version order (1.10 above 1.9), never unknown versions", async () => {
    const p = platform();
    await fleet(p, ["1.9", "1.10", "1.2", "2.0", null]);
    expect(await names({ platform: p, clientBelow: "1.10" })).toEqual([`${p} 0 1.9`, `${p} 2 1.2`].sort());
    expect(await names({ platform: p, clientBelow: "0.1" })).toEqual([]);
  });

  it("hide leaves out devices on their platform's default build or on a test build", async () => {
    const p = platform();
    await fleet(p, ["6.0.1", "6.0.2", "6.0.3", null]);
    const def = await createTestSoftware("DME_CLIENT", "6.0.2");
    const test = await createTestSoftware("DME_CLIENT", "6.0.3");
    await db().software.update({ where: { id: def.id }, data: { platform: p, defaultBuild: true } });
    await db().software.update({ where: { id: test.id }, data: { platform: p, testBuild: true } });
    // A default build of another platform with the same version hides nothing here.
    const other = await createTestSoftware("DME_CLIENT", "6.0.1");
    await db().software.update({ where: { id: other.id }, data: { platform: platform(), defaultBuild: true } });
    expect(await names({ platform: p, hide: "default" })).toEqual([`${p} 0 6.0.1`, `${p} 2 6.0.3`, `${p} 3 none`].sort());
    expect(await names({ platform: p, hide: ["default", "test"] })).toEqual([`${p} 0 6.0.1`, `${p} 3 none`].sort());
  });

  it("group keeps a static group's members or what a saved filter matches; an unknown group is an issue", async () => {
    const p = platform();
    const [a, , c] = await fleet(p, ["1.0", "2.0", "3.0"]);
    const group = await createGroup(SYSTEM_ACTOR, { kind: "STATIC", name: `static ${p}` });
    await addToGroup(SYSTEM_ACTOR, group.id, { uuids: [a!.deviceUuid, c!.deviceUuid] });
    const saved = await createGroup(SYSTEM_ACTOR, { kind: "FILTER", name: `filter ${p}`, filter: `platform=${p}&clientVersion=2.0` });
    expect(await names({ platform: p, group: String(group.id) })).toEqual([`${p} 0 1.0`, `${p} 2 3.0`]);
    expect(await names({ group: String(saved.id) })).toEqual([`${p} 1 2.0`]);
    // Values of one filter are OR-ed.
    expect(await names({ platform: p, group: [String(group.id), String(saved.id)] })).toEqual([`${p} 0 1.0`, `${p} 1 2.0`, `${p} 2 3.0`]);
    // Groups do not nest, and a saved filter must be one the list can show.
    await expect(createGroup(SYSTEM_ACTOR, { kind: "FILTER", name: `nested ${p}`, filter: `group=${group.id}` })).rejects.toMatchObject({ details: { fields: [{ field: "filter", message: "A saved filter cannot contain a group." }] } });
    await expect(createGroup(SYSTEM_ACTOR, { kind: "FILTER", name: `bad ${p}`, filter: "lastContact=yesterday" })).rejects.toMatchObject({ details: { fields: [{ field: "filter" }] } });
    const parsed = parseDeviceListParams({ group: "999999999" });
    expect(await issueOf(listDevicesPage(parsed.ok ? parsed.value : (null as never)))).toEqual([{ field: "group", message: "No device group has the id 999999999." }]);
  });
});

describe("device selections", () => {
  it("a filter or a group selects what the list shows; nothing matching and bad filters are named against their field", async () => {
    const p = platform();
    const devices = await fleet(p, ["1.0", "1.1", "2.0"]);
    expect((await resolveDeviceSelection({ deviceFilter: `platform=${p}&clientBelow=2.0` })).sort()).toEqual([devices[0]!.deviceUuid, devices[1]!.deviceUuid].sort());
    const group = await createGroup(SYSTEM_ACTOR, { kind: "STATIC", name: `sel ${p}` });
    await addToGroup(SYSTEM_ACTOR, group.id, { uuids: [devices[2]!.deviceUuid] });
    expect(await resolveDeviceSelection({ groupId: group.id })).toEqual([devices[2]!.deviceUuid]);
    expect(await issueOf(resolveDeviceSelection({ deviceFilter: `platform=${platform()}` }))).toEqual([{ field: "deviceFilter", message: "No device matches." }]);
    expect(await issueOf(resolveDeviceSelection({ deviceFilter: "sort=secret" }))).toEqual([{ field: "deviceFilter", message: expect.stringContaining("cannot be sorted by") }]);
    expect(await issueOf(resolveDeviceSelection({ groupId: 999_999_999 }))).toEqual([{ field: "groupId", message: "No device group has the id 999999999." }]);
  });

  it("an installation for every device a filter matches creates one job per matching device", async () => {
    const p = platform();
    const devices = await fleet(p, ["1.0", "1.1", "2.0"]);
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from("filter bytes"));
    const batch = await createInstallBatch(SYSTEM_ACTOR, { softwareId: software.id, deviceFilter: `platform=${p}&clientVersion=1.0&clientVersion=2.0`, method: "MARK_FOR_INSTALLATION" });
    expect(batch.jobs.map((j) => j.deviceUuid).sort()).toEqual([devices[0]!.deviceUuid, devices[2]!.deviceUuid].sort());
    expect(await issueOf(createInstallBatch(SYSTEM_ACTOR, { softwareId: software.id, method: "MARK_FOR_INSTALLATION" }))).toEqual([
      { field: "deviceUuids", message: "Choose devices: deviceUuids, deviceFilter or groupId." },
    ]);
  });
});

describe("GET /api/v1/devices", () => {
  it("pages the list's filters by cursor, and answers a bad parameter 422 with its field", async () => {
    const { GET } = await import("@/app/api/v1/devices/route");
    const { createTestBearer } = await import("@/lib/testing/factories");
    const { token } = await createTestBearer("readonly");
    const p = platform();
    await fleet(p, ["1.0", "2.0"]);
    const get = (query: string, auth = `Bearer ${token}`) => GET(new Request(`http://console.test/api/v1/devices?${query}`, { headers: { authorization: auth } }), { params: Promise.resolve({}) });
    const first = await get(`platform=${p}&limit=1`);
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { devices: { name: string; deviceUuid: string }[]; total: unknown; next: string | null };
    expect(page1).toMatchObject({ devices: [{ name: `${p} 0 1.0` }], total: { kind: "exact", value: 2 } });
    expect(page1.devices[0]).not.toHaveProperty("id");
    const page2 = (await (await get(`platform=${p}&limit=1&cursor=${page1.next}`)).json()) as { devices: { name: string }[]; next: string | null };
    expect(page2).toMatchObject({ devices: [{ name: `${p} 1 2.0` }], next: null });
    const bad = await get("sort=password&limit=0");
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field).sort()).toEqual(["limit", "sort"]);
    expect((await get("", "Bearer nope")).status).toBe(401);
  });
});

describe("bulk actions on a selection", () => {
  it("cancel unfinished jobs cancels only unfinished ones, and a Read-only user changes nothing", async () => {
    const { cancelUnfinishedJobsAs } = await import("@/lib/installation-jobs/job-actions");
    const { createTestJob, createTestUser } = await import("@/lib/testing/factories");
    const p = platform();
    const [a, b] = await fleet(p, ["1.0", "1.0"]);
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`bulk ${p}`));
    const [ja, jb] = [await createTestJob(a!.id, software.id), await createTestJob(b!.id, software.id)];
    // b's job finishes as the device reports it (11031: installed).
    const body = statusXml([{ packageId: software.packageId, messageId: "11031", timestamp: "2026-11-20 10:00:00" }]);
    await applyStatusReport({ deviceId: b!.id, report: parseStatusReport(body), rawBody: body, headers: {}, now: new Date() });
    const readonly = await createTestUser("readonly");
    await expect(cancelUnfinishedJobsAs(readonly.actor, { deviceFilter: `platform=${p}` })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await cancelUnfinishedJobsAs(SYSTEM_ACTOR, { deviceFilter: `platform=${p}` })).toEqual({ cancelled: 1, devices: 2 });
    const jobs = await db().installationJob.findMany({ where: { id: { in: [ja.id, jb.id] } }, orderBy: { id: "asc" }, select: { cancelledAt: true } });
    expect(jobs.map((j) => j.cancelledAt !== null)).toEqual([true, false]);
    expect(await cancelUnfinishedJobsAs(SYSTEM_ACTOR, { deviceUuids: [a!.deviceUuid] })).toEqual({ cancelled: 0, devices: 1 });
  });
});

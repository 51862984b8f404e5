/**
 * The jobs list against a real database: every page of both sorts, walked forwards and
 * backwards (and with a tiny walk window, so the read-as-a-set path runs too), gives the rows of
 * one plain ORDER BY; each filter means what it says, alone and combined; a state selects exactly
 * the jobs the library's count counted; and GET /api/v1/jobs answers 401/403/422/200. Each test's
 * jobs are on software of its own and found through the software filter, so tests share the
 * database.
 */
import { afterAll, describe, expect, it } from "vitest";
import { GET as listJobsRoute } from "@/app/api/v1/jobs/route";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { getSoftware } from "@/lib/software/queries";
import { createTestBearer, createTestDevice, createTestJob, createTestSoftware } from "@/lib/testing/factories";
import { listJobsPage, type JobListRow } from "./list-jobs";
import { DEFAULT_JOB_LIST, parseJobListParams, type JobListParams } from "./list-jobs-params";
import { JOB_STATES, jobStateOf, type InstallMethod, type JobStatus } from "./status-model";

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

const T0 = new Date("2026-11-01T00:00:00.000Z").getTime();
const MIN = 60_000;

function params(input: Record<string, string | string[]>): JobListParams {
  const r = parseJobListParams(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

type Shape = { software: number; device: number; status: JobStatus; method?: InstallMethod; createdMin: number; updatedMin: number; cancelled?: boolean; batchId?: number };

/** Jobs in the given shapes (status and times set directly: these tests are about reading). */
async function jobs(shapes: Shape[]) {
  const made: { id: number; shape: Shape }[] = [];
  for (const shape of shapes) {
    const job = await createTestJob(shape.device, shape.software, shape.method ?? "MARK_FOR_INSTALLATION");
    await db().installationJob.update({
      where: { id: job.id },
      data: {
        status: shape.status,
        createdAt: new Date(T0 + shape.createdMin * MIN),
        updatedAt: new Date(T0 + shape.updatedMin * MIN),
        cancelledAt: shape.cancelled ? new Date(T0) : null,
        batchId: shape.batchId ?? null,
      },
    });
    made.push({ id: job.id, shape });
  }
  return made;
}

async function allPages(p: JobListParams, walkWindow?: number): Promise<{ forward: JobListRow[][]; backward: JobListRow[][] }> {
  const forward: JobListRow[][] = [];
  let page = await listJobsPage(p, { walkWindow });
  expect(page.previous).toBeNull();
  forward.push(page.rows);
  while (page.next) {
    page = await listJobsPage({ ...p, cursor: page.next }, { walkWindow });
    forward.push(page.rows);
  }
  const backward: JobListRow[][] = [page.rows];
  while (page.previous) {
    page = await listJobsPage({ ...p, cursor: page.previous }, { walkWindow });
    backward.unshift(page.rows);
  }
  return { forward, backward };
}

const ids = (rows: JobListRow[]) => rows.map((r) => r.id);

const STATUSES: JobStatus[] = ["WAITING_FOR_DOWNLOAD", "INSTALLING_SOFTWARE", "DOWNLOADED", "INSTALLATION_FAILED", "UNKNOWN_STATUS", "DOWNLOADED_VERIFIED", "WAITING_FOR_BOOTSTRAP"];
const METHODS: InstallMethod[] = ["MARK_FOR_INSTALLATION", "SMS_PUSH", "WAP_PUSH", "OMA_DM"];

/** Two packages on seven devices: 10 jobs with ties in both times, a cancelled one, two in a batch. */
async function fleet() {
  const [a, b] = [await createTestSoftware(), await createTestSoftware()];
  const devices = [];
  for (let i = 0; i < 7; i++) devices.push(await createTestDevice());
  const batch = await db().installBatch.create({ data: { softwareId: b.id, method: "SMS_PUSH", jobCount: 2 }, select: { id: true } });
  const shapes: Shape[] = [];
  for (let i = 0; i < 7; i++) {
    // Created times tie in pairs; updated times run the other way, with a tie too.
    shapes.push({ software: a.id, device: devices[i]!.id, status: STATUSES[i]!, method: METHODS[i % 4], createdMin: Math.floor(i / 2), updatedMin: 100 - Math.min(i, 5), cancelled: i === 1 });
  }
  for (let i = 0; i < 3; i++) shapes.push({ software: b.id, device: devices[i]!.id, status: STATUSES[(i + 2) % 7]!, method: "SMS_PUSH", createdMin: 1, updatedMin: 50 + i, batchId: i < 2 ? batch.id : undefined });
  const made = await jobs(shapes);
  return { a, b, devices, batchId: batch.id, made };
}

/** The expected order of one plain ORDER BY (time, id), in the list's direction. */
function expected(made: { id: number; shape: Shape }[], sort: "created" | "updated", dir: "asc" | "desc") {
  const key = (m: { shape: Shape }) => (sort === "created" ? m.shape.createdMin : m.shape.updatedMin);
  const sorted = [...made].sort((x, y) => key(x) - key(y) || x.id - y.id).map((m) => m.id);
  return dir === "asc" ? sorted : sorted.reverse();
}

describe("jobs list pages", () => {
  it("walks both sorts both ways, forwards and backwards, by walk and by set, in the order of a plain ORDER BY", async () => {
    const { a, b, made } = await fleet();
    for (const sort of ["created", "updated"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        for (const walkWindow of [undefined, 1, 3]) {
          const p = params({ software: [String(a.id), String(b.id)], sort, dir, limit: "3" });
          const { forward, backward } = await allPages(p, walkWindow);
          expect(forward.flatMap(ids), `${sort} ${dir} window ${walkWindow}`).toEqual(expected(made, sort, dir));
          expect(backward.map(ids)).toEqual(forward.map(ids));
          expect(forward.map((r) => r.length)).toEqual([3, 3, 3, 1]);
          // One package alone is read off its own index range when sorted by creation.
          const one = await allPages(params({ software: String(a.id), state: ["inProgress", "failed"], sort, dir, limit: "2" }), walkWindow);
          expect(one.forward.flatMap(ids)).toEqual(expected(made.filter((m) => m.shape.software === a.id && !m.shape.cancelled && jobStateOf(m.shape.status) !== "installed"), sort, dir));
          expect(one.backward.map(ids)).toEqual(one.forward.map(ids));
        }
      }
    }
  });

  it("shows each row's device and software by name, statuses as stored", async () => {
    const { a, devices, made } = await fleet();
    const page = await listJobsPage(params({ software: String(a.id), sort: "created", dir: "asc", limit: "1" }));
    expect(page.rows).toEqual([
      expect.objectContaining({
        id: made[0]!.id,
        deviceUuid: devices[0]!.deviceUuid,
        deviceName: devices[0]!.name,
        softwareId: a.id,
        softwareName: a.name,
        softwareVersion: "1.0",
        status: "WAITING_FOR_DOWNLOAD",
        method: "MARK_FOR_INSTALLATION",
        attempts: 1,
        createdAt: new Date(T0).toISOString(),
        cancelledAt: null,
      }),
    ]);
  });

  it("filters by state exactly as the library counts, by status, method, device and batch; values OR-ed, filters AND-ed", async () => {
    const { a, b, devices, batchId, made } = await fleet();
    const both = [String(a.id), String(b.id)];
    const find = async (input: Record<string, string | string[]>) => ids((await listJobsPage(params({ software: both, sort: "created", dir: "asc", limit: "200", ...input }))).rows).sort((x, y) => x - y);
    const where = (f: (s: Shape) => boolean) => made.filter((m) => f(m.shape)).map((m) => m.id).sort((x, y) => x - y);

    for (const state of JOB_STATES) {
      expect(await find({ state }), state).toEqual(where((s) => !s.cancelled && jobStateOf(s.status) === state));
      // The library's count of each package is the number of rows its link shows.
      for (const sw of [a, b]) {
        const entry = await getSoftware(sw.id);
        expect((await listJobsPage(params({ software: String(sw.id), state, limit: "200" }))).rows).toHaveLength(entry!.counts[state]);
      }
    }
    expect(await find({ state: ["installed", "failed"] })).toEqual(where((s) => !s.cancelled && jobStateOf(s.status) !== "inProgress"));
    // An exact status includes a cancelled job that kept it.
    expect(await find({ status: "Installing software" })).toEqual(where((s) => s.status === "INSTALLING_SOFTWARE"));
    expect(await find({ status: ["Downloaded \u2013 Verified", "Unknown status"] })).toEqual(where((s) => s.status === "DOWNLOADED_VERIFIED" || s.status === "UNKNOWN_STATUS"));
    expect(await find({ method: ["SMS_PUSH", "OMA_DM"] })).toEqual(where((s) => s.method === "SMS_PUSH" || s.method === "OMA_DM"));
    expect(await find({ device: devices[1]!.deviceUuid })).toEqual(where((s) => s.device === devices[1]!.id));
    expect(await find({ batch: String(batchId) })).toEqual(where((s) => s.batchId === batchId));
    expect(await find({ software: String(b.id), state: "installed", method: "SMS_PUSH" })).toEqual(where((s) => s.software === b.id && !s.cancelled && jobStateOf(s.status) === "installed"));
    expect(await find({ device: "NO-SUCH-DEVICE" })).toEqual([]);
  });

  it("pages a filtered list both ways by walk and by set", async () => {
    const { a, b, made } = await fleet();
    for (const walkWindow of [undefined, 1, 2]) {
      const p = params({ software: [String(a.id), String(b.id)], method: "SMS_PUSH", sort: "updated", limit: "1" });
      const { forward, backward } = await allPages(p, walkWindow);
      const want = expected(made.filter((m) => m.shape.method === "SMS_PUSH"), "updated", "desc");
      expect(forward.flatMap(ids)).toEqual(want);
      expect(backward.map(ids)).toEqual(forward.map(ids));
    }
  });

  it("starts at the newest job without filters", async () => {
    const page = await listJobsPage(DEFAULT_JOB_LIST);
    const newest = await db().installationJob.findFirst({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(page.rows[0]?.id).toBe(newest?.id);
    expect(page.previous).toBeNull();
  });
});

describe("GET /api/v1/jobs", () => {
  const get = (query: string, token?: string) =>
    listJobsRoute(new Request(`http://local/api/v1/jobs?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({}) });

  it("401 without a token, 403 for a role that may not read jobs", async () => {
    expect((await get("")).status).toBe(401);
    const { token, user } = await createTestBearer("readonly");
    // A role this version does not know may do nothing.
    await db().user.update({ where: { id: user.id }, data: { role: "retired" } });
    const refused = await get("", token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  });

  it("422 with the fields for bad parameters, never a 500", async () => {
    const { token } = await createTestBearer("readonly");
    const bad = await get("sort=name&state=done&cursor=xyz&limit=0", token);
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { error: { code: string; fields: { field: string; message: string }[] } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.fields.map((f) => f.field).sort()).toEqual(["limit", "sort", "state"]);
    const cursor = await get("cursor=not-base64!", token);
    expect(cursor.status).toBe(422);
    expect(((await cursor.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe("cursor");
  });

  it("200 with a page of jobs (statuses as display texts, methods by wire names) and the cursor of the next", async () => {
    const { token } = await createTestBearer("readonly");
    const { a, made } = await fleet();
    const first = await get(`software=${a.id}&state=failed&limit=1&sort=created&dir=asc`, token);
    expect(first.status).toBe(200);
    type Body = { jobs: { id: number; status: string; method: string }[]; next: string | null; previous: string | null };
    const page1 = (await first.json()) as Body;
    const failed = made.filter((m) => m.shape.software === a.id && !m.shape.cancelled && jobStateOf(m.shape.status) === "failed").map((m) => m.id);
    expect(page1.jobs.map((j) => j.id)).toEqual([failed[0]]);
    expect(page1.jobs[0]).toMatchObject({ status: "Installation failed", method: "OMA_DM" });
    expect(page1.previous).toBeNull();
    const page2 = (await (await get(`software=${a.id}&state=failed&limit=1&sort=created&dir=asc&cursor=${page1.next}`, token)).json()) as Body;
    expect(page2.jobs.map((j) => j.id)).toEqual([failed[1]]);
    expect(page2.jobs[0]!.status).toBe("Unknown status");
    expect(page2.next).toBeNull();
    expect(page2.previous).not.toBeNull();
  });
});

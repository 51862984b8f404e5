/**
 * GET /api/live through the real route handler (as Next calls it) on the real database: who may
 * open it, what its parameters refuse, what each filter lets through, that it still works when
 * the bus polls, and that the shutdown signal ends open streams.
 *
 * The browser's cookie path is the e2e test's (e2e/live-status.spec.ts): a signed cookie needs
 * the real sign-in form.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as live, HEAD as head } from "@/app/api/live/route";
import { POST as sessions } from "@/app/api/v1/sessions/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { applyStatusReport } from "@/lib/installation-jobs/apply-status-report";
import { signalShutdown } from "@/lib/server/shutdown-signal";
import { createTestDevice, createTestJob, createTestSoftware, createTestUser, statusXml, type TestDevice } from "@/lib/testing/factories";
import { changeBus, closeChangeBus } from "./change-bus";
import type { ChangeEvent } from "./change-event";

const noParams = { params: Promise.resolve({}) };
let token = "";

beforeAll(async () => {
  const user = await createTestUser("readonly");
  const res = await sessions(
    new Request("http://local/api/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: user.email, password: user.password }) }),
    noParams,
  );
  token = ((await res.json()) as { token: string }).token;
});

const streams: ReadableStreamDefaultReader<Uint8Array>[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((r) => r.cancel().catch(() => undefined)));
  await closeChangeBus();
  delete process.env.DEPLOYDESK_LIVE;
  (globalThis as { deploydeskShutdown?: AbortController }).deploydeskShutdown = undefined;
});
afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

function get(query: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }, signal?: AbortSignal) {
  return live(new Request(`http://local/api/live${query}`, { headers, signal }), noParams);
}

async function errorOf(res: Response) {
  return { status: res.status, ...((await res.json()) as { error: { code: string; fields?: { field: string }[] } }).error };
}

/** An open stream and the events it has delivered so far. */
async function open(query: string) {
  const res = await get(query);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const reader = res.body!.getReader();
  streams.push(reader);
  const decoder = new TextDecoder();
  const stream = { text: "", ended: false, changes: [] as ChangeEvent[] };
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return void (stream.ended = true);
      stream.text += decoder.decode(value, { stream: true });
      stream.changes = [...stream.text.matchAll(/event: change\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as ChangeEvent);
    }
  })();
  await until(() => stream.text.includes("event: ready"));
  return stream;
}

async function until(test: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function report(device: TestDevice, packageId: string, messageId = "11030") {
  const body = statusXml([{ packageId, messageId, timestamp: "2026-11-20 10:00:00" }]);
  await applyStatusReport({ deviceId: device.id, report: parseStatusReport(body), rawBody: body, headers: { "X-Device-Action": "Status" }, now: new Date() });
}

async function deviceWithJob() {
  const device = await createTestDevice();
  const software = await createTestSoftware();
  const job = await createTestJob(device.id, software.id);
  return { device, packageId: software.packageId, jobId: job.id };
}

describe("who may open a stream", () => {
  it("401 in the API's envelope without a session, or with a bad token", async () => {
    const none = await get("?log", {});
    expect(await errorOf(none)).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect(none.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await errorOf(await get("?log", { authorization: "Bearer made-up" }))).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect(await errorOf(await get("?log", { cookie: "better-auth.session_token=made-up.signature" }))).toMatchObject({ status: 401 });
  });

  it("accepts a session token and an API token as bearer", async () => {
    const admin = await createTestUser("admin");
    const api = await createApiToken(admin.actor, { userId: admin.id, name: "live" });
    for (const t of [token, api.token]) {
      const res = await get("?log", { authorization: `Bearer ${t}` });
      expect(res.status).toBe(200);
      await res.body!.cancel();
    }
  });
});

describe("parameters", () => {
  it.each([
    ["", ""],
    ["?batch=7", "batch"],
    ["?device=A&jobs=1", ""],
    ["?jobs=1,two", "jobs.1"],
    ["?log=please", "log"],
  ])("422 VALIDATION_FAILED for %j", async (query, field) => {
    const error = await errorOf(await get(query));
    expect(error).toMatchObject({ status: 422, code: "VALIDATION_FAILED" });
    expect(error.fields?.[0]?.field).toBe(field);
  });

  it("404 for a device nobody has", async () => {
    expect(await errorOf(await get("?device=NO-SUCH-DEVICE"))).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });
});

describe.each(["notify", "poll"] as const)("filters, bus in %s mode", (mode) => {
  it("a device's stream hears its reports and job creation, not another device's; jobs and log streams hear theirs", async () => {
    process.env.DEPLOYDESK_LIVE = mode;
    const mine = await deviceWithJob();
    const other = await deviceWithJob();
    const deviceStream = await open(`?device=${mine.device.deviceUuid}`);
    const jobsStream = await open(`?jobs=${other.jobId},999999999`);
    const logStream = await open("?log");
    expect(changeBus().stats()).toMatchObject({ mode, subscribers: 3, live: true });

    const touches = (s: { changes: ChangeEvent[] }, deviceId: number) => s.changes.some((e) => e.deviceIds?.includes(deviceId));
    // The other device's change first, and heard, so a poll cannot read it together with mine
    // (one event naming both devices, which a device's stream rightly lets through).
    await report(other.device, other.packageId);
    await until(() => touches(logStream, other.device.id) && touches(jobsStream, other.device.id));
    await report(mine.device, mine.packageId);
    const software = await createTestSoftware();
    await createTestJob(mine.device.id, software.id);

    // The report and the new job: two changes of this device's jobs.
    await until(() => new Set(deviceStream.changes.flatMap((e) => e.jobIds ?? [])).size >= 2);
    await until(() => touches(logStream, mine.device.id));
    // Whatever might still arrive late has had its chance by now.
    await new Promise((r) => setTimeout(r, mode === "poll" ? 1500 : 300));
    expect(touches(deviceStream, other.device.id)).toBe(false);
    expect(touches(jobsStream, mine.device.id)).toBe(false);
    expect(deviceStream.changes.every((e) => e.deviceIds?.includes(mine.device.id))).toBe(true);
  });
});

describe("ending", () => {
  it("the shutdown signal ends every open stream, and the bus loses its subscribers", async () => {
    const a = await open("?log");
    const b = await open("?log");
    expect(changeBus().stats().subscribers).toBe(2);
    signalShutdown();
    await until(() => a.ended && b.ended, 2000);
    expect(changeBus().stats().subscribers).toBe(0);
  });

  it("HEAD checks the same and answers the headers without subscribing", async () => {
    const { device } = await deviceWithJob();
    const res = await head(new Request(`http://local/api/live?device=${device.deviceUuid}`, { method: "HEAD", headers: { authorization: `Bearer ${token}` } }), noParams);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(changeBus().stats()).toMatchObject({ subscribers: 0, running: false });
    const unknown = await head(new Request("http://local/api/live?device=NOPE", { method: "HEAD", headers: { authorization: `Bearer ${token}` } }), noParams);
    expect(unknown.status).toBe(404);
  });

  it("a request's abort ends its stream", async () => {
    const abort = new AbortController();
    const res = await get("?log", undefined, abort.signal);
    const reader = res.body!.getReader();
    await reader.read();
    expect(changeBus().stats().subscribers).toBe(1);
    abort.abort();
    expect(changeBus().stats().subscribers).toBe(0);
    await reader.cancel();
  });
});


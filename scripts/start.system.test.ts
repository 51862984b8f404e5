/**
 * `npm start` as a user and a supervisor stop it: every way of stopping it must leave no
 * process behind, no lock, the embedded data cleanly closed, and the next start working (on
 * the same data). Runs the real command against the built app, on a throw-away data folder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const DATA = mkdtempSync(path.join(tmpdir(), "deploydesk-start-"));
const PORT = 3500 + Math.floor(Math.random() * 400);
const BASE = `http://127.0.0.1:${PORT}`;
const UUID = "43004500500043000000434550434B5335343934350000000000";

type Run = { npm: ChildProcess; output: () => string };
let current: Run | null = null;
/** The first start on a fresh data folder prints a generated Admin password, once. */
let admin: { email: string; password: string } | null = null;

afterAll(() => {
  if (current?.npm.pid) killGroup(current.npm.pid, "SIGKILL");
  rmSync(DATA, { recursive: true, force: true });
});

function killGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms: number, run?: Run): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}\n${run?.output() ?? ""}`);
}

async function start(): Promise<Run> {
  let out = "";
  // Its own process group (as a terminal or a supervisor gives it), so the group can be signalled.
  const npm = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(PORT), DEPLOYDESK_DATA_DIR: DATA, DATABASE_URL: "" },
  });
  npm.stdout!.on("data", (d) => (out += d));
  npm.stderr!.on("data", (d) => (out += d));
  const run = { npm, output: () => out };
  current = run;
  await until("the console to answer", async () => {
    if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode})\n${out}`);
    return fetch(`${BASE}/devices`).then((r) => r.ok, () => false);
  }, 120_000, run);
  const printed = /Sign in as (\S+) with the password (\S+)/.exec(out);
  if (admin && printed) throw new Error(`a second start printed an Admin password again\n${out}`);
  if (printed) admin = { email: printed[1]!, password: printed[2]! };
  return run;
}

async function expectCleanStop(run: Run): Promise<void> {
  await until("every process of the group to exit", () => !groupAlive(run.npm.pid!), 40_000, run);
  expect(existsSync(path.join(DATA, "pglite.lock")), "the lock is released").toBe(false);
  // PGlite removes its postmaster.pid only on a clean close.
  expect(existsSync(path.join(DATA, "pglite", "postmaster.pid")), "the data is cleanly closed").toBe(false);
  const port = await fetch(`${BASE}/devices`).then(() => "still served", () => "free");
  expect(port).toBe("free");
  current = null;
}

describe("npm start stops cleanly however it is stopped", () => {
  it("Ctrl-C (SIGINT to the process group)", async () => {
    const run = await start();
    killGroup(run.npm.pid!, "SIGINT");
    await expectCleanStop(run);
  });

  it("SIGTERM to the process group", async () => {
    const run = await start();
    killGroup(run.npm.pid!, "SIGTERM");
    await expectCleanStop(run);
  });

  it("SIGTERM to the npm process alone (what docker stop and most supervisors send)", async () => {
    const run = await start();
    run.npm.kill("SIGTERM");
    await expectCleanStop(run);
  });

  it("a SIGKILL of the start process takes the server with it, and the next start takes over its stale lock", async () => {
    const run = await start();
    const lock = JSON.parse(readFileSync(path.join(DATA, "pglite.lock"), "utf8")) as { pid: number };
    process.kill(lock.pid, "SIGKILL");
    await until("every process of the group to exit", () => !groupAlive(run.npm.pid!), 40_000, run);
    current = null;
    expect(existsSync(path.join(DATA, "pglite.lock"))).toBe(true);

    const next = await start();
    // The data survived all of the above: the first start's Admin still signs in, and the demo
    // device is there, with its log.
    expect(admin, "the first start printed the generated Admin password").not.toBeNull();
    const session = await fetch(`${BASE}/api/v1/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(admin),
    });
    expect(session.status).toBe(201);
    const { token } = (await session.json()) as { token: string };
    const page = await (await fetch(`${BASE}/devices/${UUID}`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(page).toContain("Waiting for download");
    next.npm.kill("SIGTERM");
    await expectCleanStop(next);
  });

  it("an open live event stream ends at the stop instead of holding it up until the drain timeout", async () => {
    const run = await start();
    const session = await fetch(`${BASE}/api/v1/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(admin) });
    const { token } = (await session.json()) as { token: string };
    const res = await fetch(`${BASE}/api/live?log`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("event: ready")) text += decoder.decode((await reader.read()).value);

    const stopping = Date.now();
    run.npm.kill("SIGTERM");
    // A clean end of the body: a stream still open at the drain timeout (10 s) is cut instead.
    for (;;) if ((await reader.read()).done) break;
    expect(Date.now() - stopping).toBeLessThan(3000);
    await expectCleanStop(run);
    expect(Date.now() - stopping, "the whole stop, embedded database included").toBeLessThan(8000);
  });
});

/**
 * A database outage seen from a device: while PostgreSQL is away the device node answers 503
 * with Retry-After (a CE client retries), never 500; when it is back the node recovers by
 * itself. The database is an embedded PostgreSQL this test stops and starts on the same port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";
import { deployMigrations } from "@/lib/db/migrate";
import { hashDeviceToken } from "@/lib/devices/credentials";

const ROOT = path.resolve(import.meta.dirname, "..");
const DATA = mkdtempSync(path.join(tmpdir(), "deploydesk-outage-"));
const DB_PORT = 5500 + Math.floor(Math.random() * 400);
const APP_PORT = 3950 + Math.floor(Math.random() * 40);
let db: EmbeddedPostgres | null = null;
let node: ChildProcess | null = null;

afterAll(async () => {
  node?.kill("SIGKILL");
  await db?.stop();
  rmSync(DATA, { recursive: true, force: true });
});

const UUID = "OUTAGE-DEVICE-0001";
const TOKEN = "outage-token";

function post(): Promise<Response> {
  return fetch(`http://127.0.0.1:${APP_PORT}/devicemgmt/server.aspx`, {
    method: "POST",
    headers: { "X-Device-UUID": UUID, "X-Device-Auth": TOKEN, "X-Device-Action": "Status" },
    body: `<Status xmlns="http://www.microsoft.com/DeviceManagement.xsd"></Status>`,
  });
}

it("answers 503 with Retry-After while PostgreSQL is down, and recovers when it is back", async () => {
  db = await startEmbeddedPostgres({ dataDir: path.join(DATA, "pglite"), port: DB_PORT });
  await deployMigrations({ databaseUrl: db.url });
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const { rows } = await c.query("INSERT INTO devices (device_uuid, name, updated_at) VALUES ($1, 'Outage test', now()) RETURNING id", [UUID]);
  await c.query("INSERT INTO device_credentials (device_id, token_hash) VALUES ($1, $2)", [rows[0].id, hashDeviceToken(TOKEN)]);
  await c.end();

  node = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "--devices-only"], {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(APP_PORT), DEPLOYDESK_STORAGE_DIR: path.join(DATA, "files") },
  });
  for (let i = 0; i < 100 && !(await post().then((r) => r.status === 200, () => false)); i++) await new Promise((r) => setTimeout(r, 200));
  expect((await post()).status).toBe(200);

  await db.stop();
  db = null;
  for (let i = 0; i < 3; i++) {
    const res = await post();
    expect([res.status, res.statusText, res.headers.get("retry-after")]).toEqual([503, "Service Unavailable", "30"]);
  }

  db = await startEmbeddedPostgres({ dataDir: path.join(DATA, "pglite"), port: DB_PORT });
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await post()).status;
    expect(status === 200 || status === 503).toBe(true);
    if (status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  expect(status).toBe(200);
});

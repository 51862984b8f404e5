/**
 * The embedded server must behave like PostgreSQL for concurrent clients: several pooled
 * connections mixing parameterized (extended-protocol) queries with transactions, as Prisma
 * does. (pglite-socket alone fails this; see keepConnectionsApart in embedded.ts.)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLockHeld, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

let server: EmbeddedPostgres;
beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir: null });
});
afterAll(() => server.stop());

it("keeps each connection's queries apart under concurrency", async () => {
  const pool = new pg.Pool({ connectionString: server.url, max: 8 });
  try {
    await pool.query("CREATE TABLE counter (n int NOT NULL)");
    await pool.query("INSERT INTO counter VALUES (0)");
    const answers: [number, string][] = [];
    // 8 workers, each alternating a parameterized query (different texts and parameter counts,
    // so a statement bound by the wrong connection shows up) with a short transaction.
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let k = 0; k < 25; k++) {
          const i = w * 100 + k;
          const { rows } = k % 2
            ? await pool.query<{ n: number; s: string }>(`SELECT $1::int + ${k} - ${k} AS n, $2::text AS s`, [i, `v${i}`])
            : await pool.query<{ n: number; s: string }>(`SELECT $1::int AS n, 'v' || $1::text AS s`, [i]);
          answers.push([rows[0]!.n, rows[0]!.s]);
          const c = await pool.connect();
          try {
            await c.query("BEGIN");
            const locked = await c.query<{ n: number }>("SELECT n FROM counter WHERE n >= $1 FOR UPDATE", [0]);
            await c.query("UPDATE counter SET n = $1", [locked.rows[0]!.n + 1]);
            await c.query("COMMIT");
          } finally {
            c.release();
          }
        }
      }),
    );
    expect(answers.every(([n, s]) => s === `v${n}`)).toBe(true);
    expect(answers).toHaveLength(200);
    expect((await pool.query("SELECT n FROM counter")).rows[0].n).toBe(200);
  } finally {
    await pool.end();
  }
});

describe("the data-folder lock", () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), "deploydesk-lock-"));

  it("refuses a second opener while the holder lives, and is gone after a clean stop", async () => {
    const dataDir = path.join(dir(), "pglite");
    const first = await startEmbeddedPostgres({ dataDir });
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/in use by process/);
    await first.stop();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
    const again = await startEmbeddedPostgres({ dataDir });
    await again.stop();
  });

  it("takes over a lock whose pid now belongs to another process (pids repeat after a container restart)", async () => {
    const dataDir = path.join(dir(), "pglite");
    mkdirSync(dataDir, { recursive: true });
    // This very pid, which is alive, but started at another time: not the holder.
    const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: process.pid, startTime: "1", bootId, url: "postgresql://old" }));
    const db = await startEmbeddedPostgres({ dataDir });
    await db.stop();
    // A dead pid too.
    writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: 2 ** 22 + 17, startTime: "5", bootId, url: null }));
    expect(isLockHeld({ pid: 2 ** 22 + 17, startTime: "5", bootId, url: null })).toBe(false);
    await (await startEmbeddedPostgres({ dataDir })).stop();
  });
});

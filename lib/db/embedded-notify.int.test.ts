/**
 * LISTEN/NOTIFY through the embedded server must behave as on PostgreSQL: a notification reaches
 * the connections that listen on its channel, whichever connection committed it. Without the
 * notification router (notification-router.ts, wired in embedded.ts) every case below that
 * expects a listener on another connection to hear something fails: stock pglite-socket hands
 * the notification to the committing connection.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

let server: EmbeddedPostgres;
beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir: null });
});
afterAll(() => server.stop());

type Heard = { channel: string; payload: string | undefined };
type Conn = { client: pg.Client; heard: Heard[] };
const open: pg.Client[] = [];

async function connect(): Promise<Conn> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  open.push(client);
  const heard: Heard[] = [];
  client.on("notification", (n) => heard.push({ channel: n.channel, payload: n.payload }));
  return { client, heard };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.end().catch(() => undefined)));
  // Every listener gone: the session listens on nothing again (and the next test starts clean).
  const probe = await connect();
  const until = Date.now() + 5000;
  while ((await listening(probe)).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  expect(await listening(probe)).toEqual([]);
  await probe.client.end();
  open.length = 0;
});

/** Waits until `conn` has heard `count` notifications (a listener hears at the sender's commit). */
async function heardAtLeast(conn: Conn, count: number): Promise<Heard[]> {
  const until = Date.now() + 5000;
  while (conn.heard.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  return conn.heard;
}

/**
 * What a connection that should hear nothing has heard: its own next round trip comes after any
 * notification the server had for it, since the server writes to one connection at a time in order.
 */
async function settled(conn: Conn): Promise<Heard[]> {
  await conn.client.query("SELECT 1");
  return conn.heard;
}

/** The shared session's channels: the union of what connections listen on. */
async function listening(c: Conn): Promise<string[]> {
  return (await c.client.query<{ ch: string }>("SELECT pg_listening_channels() AS ch")).rows.map((r) => r.ch).sort();
}

it("delivers to the listener what another connection sends, in a transaction and as autocommit NOTIFY; the sender hears nothing", async () => {
  const a = await connect();
  const b = await connect();
  await a.client.query("LISTEN changes");

  await b.client.query("BEGIN");
  await b.client.query("SELECT pg_notify('changes', 'in a transaction')");
  // Nothing before the commit. (No round trip on A to make sure: on the embedded server A's
  // statement would wait for B's transaction, which waits for this test.)
  await new Promise((r) => setTimeout(r, 50));
  expect(a.heard).toEqual([]);
  await b.client.query("COMMIT");
  await b.client.query("NOTIFY changes, 'autocommit'");
  // The extended protocol (parameters) too: there the notification comes with the Sync.
  await b.client.query("SELECT pg_notify($1, $2)", ["changes", "with parameters"]);

  expect((await heardAtLeast(a, 3)).map((h) => h.payload)).toEqual(["in a transaction", "autocommit", "with parameters"]);
  expect(await settled(b)).toEqual([]);
  // A rolled-back notification is never delivered.
  await b.client.query("BEGIN");
  await b.client.query("SELECT pg_notify('changes', 'rolled back')");
  await b.client.query("ROLLBACK");
  await b.client.query("NOTIFY changes, 'after'");
  expect((await heardAtLeast(a, 4)).map((h) => h.payload)).toEqual(["in a transaction", "autocommit", "with parameters", "after"]);
});

it("delivers to every listener; after one UNLISTENs, the others still hear (the session is shared)", async () => {
  const a = await connect();
  const b = await connect();
  const sender = await connect();
  await a.client.query("LISTEN shared");
  await b.client.query("LISTEN shared");
  await sender.client.query("NOTIFY shared, 'one'");
  expect((await heardAtLeast(a, 1)).map((h) => h.payload)).toEqual(["one"]);
  expect((await heardAtLeast(b, 1)).map((h) => h.payload)).toEqual(["one"]);

  await a.client.query("UNLISTEN shared");
  expect(await listening(sender)).toEqual(["shared"]);
  await sender.client.query("NOTIFY shared, 'two'");
  expect((await heardAtLeast(b, 2)).map((h) => h.payload)).toEqual(["one", "two"]);
  expect(await settled(a)).toHaveLength(1);

  // UNLISTEN *, and DISCARD ALL (a session reset, as poolers send), take nothing from others either.
  for (const reset of ["UNLISTEN *", "DISCARD ALL"]) {
    await a.client.query("LISTEN other");
    await a.client.query(reset);
    await sender.client.query("SELECT pg_notify('shared', $1)", [reset]);
    await sender.client.query("NOTIFY other, 'nobody'");
    expect(await listening(sender)).toEqual(["shared"]);
  }
  expect((await heardAtLeast(b, 4)).map((h) => h.payload)).toEqual(["one", "two", "UNLISTEN *", "DISCARD ALL"]);
  expect(await settled(a)).toHaveLength(1);
});

it("lets a listener hear its own notifications once, several per transaction, in order", async () => {
  const a = await connect();
  const b = await connect();
  await a.client.query("LISTEN mine");
  await b.client.query("LISTEN mine");
  await a.client.query("BEGIN");
  for (const n of ["1", "2", "3"]) await a.client.query("SELECT pg_notify('mine', $1)", [n]);
  await a.client.query("COMMIT");
  expect((await settled(a)).map((h) => h.payload)).toEqual(["1", "2", "3"]);
  expect((await heardAtLeast(b, 3)).map((h) => h.payload)).toEqual(["1", "2", "3"]);
});

it("forgets a listener that disconnects, and the session stops listening on channels nobody wants", async () => {
  const a = await connect();
  const b = await connect();
  const sender = await connect();
  await a.client.query("LISTEN gone");
  await b.client.query("LISTEN kept");
  await a.client.end();
  const until = Date.now() + 5000;
  while ((await listening(sender)).includes("gone") && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  expect(await listening(sender)).toEqual(["kept"]);
  // A new listener on the forgotten channel works as on a fresh server.
  const c = await connect();
  await c.client.query("LISTEN gone");
  await sender.client.query("NOTIFY gone, 'again'");
  expect((await heardAtLeast(c, 1)).map((h) => h.payload)).toEqual(["again"]);
  expect(await settled(b)).toEqual([]);
});

it("names channels as PostgreSQL does: unquoted names fold to lower case, quoted ones keep theirs", async () => {
  const folded = await connect();
  const quoted = await connect();
  const decoy = await connect();
  const sender = await connect();
  await folded.client.query("LISTEN MixedCase");
  // "decoy" only in a comment and a literal: this connection must not be taken for a listener of it.
  await quoted.client.query(`/* LISTEN decoy */ SELECT 'LISTEN decoy'; LISTEN "MixedCase"; LISTEN "with ""quote"" and space"`);
  await decoy.client.query("LISTEN decoy");
  await sender.client.query("SELECT pg_notify('mixedcase', 'to folded')");
  await sender.client.query("SELECT pg_notify('MixedCase', 'to quoted')");
  await sender.client.query(`NOTIFY "with ""quote"" and space", 'odd name'`);
  await sender.client.query("NOTIFY decoy, 'to decoy'");
  await heardAtLeast(folded, 1);
  await heardAtLeast(quoted, 2);
  await heardAtLeast(decoy, 1);
  expect((await settled(folded)).map((h) => `${h.channel}:${h.payload}`)).toEqual(["mixedcase:to folded"]);
  expect((await settled(quoted)).map((h) => `${h.channel}:${h.payload}`)).toEqual(["MixedCase:to quoted", 'with "quote" and space:odd name']);
  expect((await settled(decoy)).map((h) => `${h.channel}:${h.payload}`)).toEqual(["decoy:to decoy"]);
  expect(await listening(sender)).toEqual(["MixedCase", "decoy", "mixedcase", 'with "quote" and space'].sort());
});

it("leaves query results intact around routed notifications", async () => {
  const a = await connect();
  const b = await connect();
  await a.client.query("LISTEN bulk");
  // A big result on the listener, notifications committing on the other connection meanwhile.
  const [big] = await Promise.all([
    a.client.query<{ n: number; s: string }>("SELECT n, repeat('x', 200) AS s FROM generate_series(1, 20000) n"),
    (async () => {
      for (let i = 0; i < 20; i++) await b.client.query("SELECT pg_notify('bulk', $1)", [String(i)]);
    })(),
  ]);
  expect(big.rows).toHaveLength(20000);
  expect(big.rows.every((r, i) => r.n === i + 1 && r.s.length === 200)).toBe(true);
  expect((await heardAtLeast(a, 20)).map((h) => h.payload)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
});

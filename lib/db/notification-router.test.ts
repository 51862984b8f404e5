import { describe, expect, it } from "vitest";
import { listenStatements, NotificationRouter } from "./notification-router";

describe("listenStatements", () => {
  it("reads LISTEN and UNLISTEN with PostgreSQL's names", () => {
    expect(listenStatements("LISTEN deploydesk_changes")).toEqual([{ unlisten: false, channel: "deploydesk_changes" }]);
    expect(listenStatements("listen MixedCase;")).toEqual([{ unlisten: false, channel: "mixedcase" }]);
    expect(listenStatements('LISTEN "MixedCase"')).toEqual([{ unlisten: false, channel: "MixedCase" }]);
    expect(listenStatements('LISTEN "a ""b"" c"')).toEqual([{ unlisten: false, channel: 'a "b" c' }]);
    expect(listenStatements("UNLISTEN *")).toEqual([{ unlisten: true, channel: null }]);
    expect(listenStatements('UNLISTEN "*"')).toEqual([{ unlisten: true, channel: "*" }]);
    expect(listenStatements("discard ALL")).toEqual([{ unlisten: true, channel: null }]);
    expect(listenStatements("DISCARD PLANS")).toEqual([]);
    expect(listenStatements("LISTEN a; UNLISTEN b ;\n  LISTEN c")).toEqual([
      { unlisten: false, channel: "a" },
      { unlisten: true, channel: "b" },
      { unlisten: false, channel: "c" },
    ]);
    // Only ASCII letters fold; names are cut to 63 bytes on a character boundary.
    expect(listenStatements("LISTEN ÄbC")).toEqual([{ unlisten: false, channel: "Äbc" }]);
    expect(listenStatements(`LISTEN ${"x".repeat(70)}`)).toEqual([{ unlisten: false, channel: "x".repeat(63) }]);
    expect(listenStatements(`LISTEN "${"x".repeat(62)}é"`)).toEqual([{ unlisten: false, channel: "x".repeat(62) }]);
  });

  it("is not fooled by the word in literals, comments, identifiers or other statements", () => {
    expect(listenStatements("SELECT 'LISTEN a'; -- LISTEN b\n/* LISTEN c /* nested */ LISTEN d */ SELECT 1")).toEqual([]);
    expect(listenStatements("SELECT E'\\' LISTEN e'; SELECT $$ LISTEN f $$, $t$ LISTEN g $t$")).toEqual([]);
    expect(listenStatements("SELECT listen FROM t; UPDATE t SET listen = 1; SELECT pg_notify('listen', $1)")).toEqual([]);
    expect(listenStatements('"LISTEN" x; LISTEN; LISTEN a b; LISTEN 1x; LISTEN \'a\'')).toEqual([]);
    // After a literal that holds a ';' the next statement still counts.
    expect(listenStatements("SELECT ';'; LISTEN after")).toEqual([{ unlisten: false, channel: "after" }]);
  });
});

// ---- protocol bytes
const enc = new TextEncoder();
function message(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, 4 + body.length);
  out.set(body, 5);
  return out;
}
const cstr = (s: string) => [...enc.encode(s), 0];
const notification = (channel: string, payload: string) => message("A", new Uint8Array([0, 0, 0, 42, ...cstr(channel), ...cstr(payload)]));
const query = (sql: string) => message("Q", new Uint8Array(cstr(sql)));
const parse = (name: string, sql: string) => message("P", new Uint8Array([...cstr(name), ...cstr(sql), 0, 0]));
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function collector() {
  const chunks: Uint8Array[] = [];
  return { sink: (d: Uint8Array) => chunks.push(d.slice()), bytes: () => hex(concat(chunks)) };
}

describe("NotificationRouter", () => {
  const rows = message("D", enc.encode("x".repeat(300)));
  const done = message("C", new Uint8Array(cstr("SELECT 1")));
  const ready = message("Z", enc.encode("I"));

  it("moves notifications to the listeners of their channel, whatever the chunking of the output", () => {
    const toA = notification("a", "for a");
    const toBoth = notification("both", "for both");
    const toNobody = notification("nobody", "dropped");
    const output = concat([rows, toA, done, toBoth, toNobody, ready]);
    // Every way of cutting the output in two, and byte by byte.
    const cuts = [...Array.from({ length: output.length + 1 }, (_, i) => [output.subarray(0, i), output.subarray(i)]), [...output].map((b) => new Uint8Array([b]))];
    for (const chunks of cuts) {
      const router = new NotificationRouter();
      const sender = collector();
      const a = collector();
      const b = collector();
      router.track(1, query("LISTEN a; LISTEN both"), a.sink);
      router.track(2, parse("", "LISTEN both"), b.sink);
      router.track(3, query("SELECT 1"), sender.sink);
      const out = router.output(3, sender.sink);
      for (const c of chunks) out.write(c);
      out.end();
      expect(sender.bytes()).toBe(hex(concat([rows, done, ready])));
      expect(a.bytes()).toBe(hex(concat([toA, toBoth])));
      expect(b.bytes()).toBe(hex(toBoth));
    }
  });

  it("keeps a notification in its place in the stream when the sender listens itself", () => {
    const router = new NotificationRouter();
    const sender = collector();
    router.track(1, query('LISTEN "Mine"'), sender.sink);
    const out = router.output(1, sender.sink);
    const n = notification("Mine", "p");
    out.write(concat([done, n]));
    out.write(ready);
    out.end();
    expect(sender.bytes()).toBe(hex(concat([done, n, ready])));
  });

  it("hands an unfinished notification to the sender when the output ends, rather than losing it", () => {
    const router = new NotificationRouter();
    const sender = collector();
    const other = collector();
    router.track(2, query("LISTEN a"), other.sink);
    const out = router.output(1, sender.sink);
    const n = notification("a", "cut short");
    out.write(concat([done, n.subarray(0, 12)]));
    out.end();
    expect(sender.bytes()).toBe(hex(concat([done, n.subarray(0, 12)])));
    expect(other.bytes()).toBe("");
    // And the next output starts clean.
    const next = router.output(1, sender.sink);
    next.write(n);
    next.end();
    expect(other.bytes()).toBe(hex(n));
  });

  it("listens again on what others still want after an UNLISTEN, and stops on what nobody wants", async () => {
    const router = new NotificationRouter();
    const sink = () => undefined;
    const run: string[] = [];
    const exec = async (sql: string) => void run.push(sql);
    router.track(1, query("LISTEN a; LISTEN b"), sink);
    router.track(2, query("LISTEN a"), sink);
    expect(router.needsReconcile()).toBe(false);
    router.track(1, query("UNLISTEN a"), sink);
    expect(router.needsReconcile()).toBe(true);
    await router.reconcile(exec);
    expect(run).toEqual(['LISTEN "a"']);
    router.track(2, query("UNLISTEN *"), sink);
    await router.reconcile(exec);
    expect(run).toEqual(['LISTEN "a"', 'LISTEN "b"']);
    router.forget(1);
    expect(router.needsReconcile()).toBe(true);
    // Forgotten: until the session stops listening, its notifications go nowhere.
    const sender = collector();
    const out = router.output(3, sender.sink);
    out.write(notification("b", "x"));
    out.end();
    expect(sender.bytes()).toBe("");
    await router.reconcile(exec);
    expect(run).toEqual(['LISTEN "a"', 'LISTEN "b"', 'UNLISTEN "b"']);
  });

  it("a channel the server refuses does not stop the bookkeeping of the others, and is not retried for ever", async () => {
    const router = new NotificationRouter();
    const sink = () => undefined;
    const run: string[] = [];
    const exec = async (sql: string) => {
      run.push(sql);
      if (sql.includes('""')) throw new Error("zero-length delimited identifier");
    };
    // Connection 1's LISTEN "" was refused by the server, but its text was recorded.
    router.track(1, query('LISTEN ""; LISTEN x'), sink);
    router.track(2, query("LISTEN a; LISTEN b"), sink);
    router.forget(1);
    router.track(2, query("UNLISTEN a"), sink);
    await expect(router.reconcile(exec)).rejects.toThrow(/zero-length/);
    // "x" was unlistened although "" before it failed; "b" is still listened to.
    expect(run).toEqual(['UNLISTEN ""', 'UNLISTEN "x"']);
    // The refused name is forgotten: the next bookkeeping does not fail on it again.
    router.track(3, query("LISTEN c"), sink);
    router.forget(3);
    await router.reconcile(exec);
    expect(run.slice(2)).toEqual(['UNLISTEN "c"']);
  });
});

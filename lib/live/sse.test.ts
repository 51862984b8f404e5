import { describe, expect, it } from "vitest";
import { encodeSseMessage, eventStreamResponse } from "./sse";

/** A subscription source with a visible subscriber count, as the change bus has. */
function hub<T>() {
  const subscribers = new Set<(value: T) => void>();
  return {
    subscribe(send: (value: T) => void) {
      subscribers.add(send);
      return () => void subscribers.delete(send);
    },
    publish: (value: T) => subscribers.forEach((s) => s(value)),
    count: () => subscribers.size,
  };
}

/** Reads the stream until `until` holds for what arrived (or the stream ends). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, seen: { text: string }, until: (text: string) => boolean) {
  const decoder = new TextDecoder();
  while (!until(seen.text)) {
    const { done, value } = await reader.read();
    if (done) return false;
    seen.text += decoder.decode(value, { stream: true });
  }
  return true;
}

describe("eventStreamResponse", () => {
  it("streams the subscription as text/event-stream until the request is aborted, then unsubscribes", async () => {
    const source = hub<number>();
    const abort = new AbortController();
    let markReady!: () => void;
    const response = eventStreamResponse<number>({
      signal: abort.signal,
      subscribe: source.subscribe,
      format: (n) => (n % 2 ? { event: "odd", data: `n=${n}`, id: String(n) } : null),
      ready: new Promise<void>((resolve) => (markReady = resolve)),
      retryMs: 2500,
      heartbeatMs: 30,
    });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    });
    expect(source.count()).toBe(1);
    const reader = response.body!.getReader();
    const seen = { text: "" };
    await readUntil(reader, seen, (t) => t.includes("\n\n"));
    expect(seen.text.startsWith("retry: 2500\n\n")).toBe(true);

    markReady();
    await readUntil(reader, seen, (t) => t.includes("event: ready"));
    source.publish(1);
    source.publish(2); // filtered out by format
    source.publish(3);
    await readUntil(reader, seen, (t) => t.includes("n=3"));
    expect(seen.text).toContain("event: ready\ndata: \n\n");
    expect(seen.text).toContain("id: 1\nevent: odd\ndata: n=1\n\n");
    expect(seen.text).not.toContain("n=2");
    await readUntil(reader, seen, (t) => t.includes(": ping\n\n"));

    abort.abort();
    expect(source.count()).toBe(0);
    expect(await readUntil(reader, seen, () => false)).toBe(false); // the stream ended
  });

  it("unsubscribes when the body is cancelled, and never subscribes for an already aborted request", async () => {
    const source = hub<number>();
    const response = eventStreamResponse<number>({ signal: new AbortController().signal, subscribe: source.subscribe, format: (n) => ({ data: String(n) }) });
    expect(source.count()).toBe(1);
    await response.body!.cancel();
    expect(source.count()).toBe(0);

    const aborted = AbortSignal.abort();
    const none = eventStreamResponse<number>({ signal: aborted, subscribe: source.subscribe, format: (n) => ({ data: String(n) }) });
    expect(source.count()).toBe(0);
    expect(await none.text()).toBe("");
  });

  it("drops a client that reads nothing once too much waits for it", async () => {
    const source = hub<string>();
    const response = eventStreamResponse<string>({
      signal: new AbortController().signal,
      subscribe: source.subscribe,
      format: (s) => ({ data: s }),
      maxBufferedBytes: 10_000,
    });
    for (let i = 0; i < 200 && source.count() > 0; i++) source.publish("x".repeat(1000));
    expect(source.count()).toBe(0);
    // What was queued is still readable: the client sees the stream end and reconnects.
    expect((await response.text()).length).toBeGreaterThan(10_000);
  });
});

it("encodes multi-line data as one data line per line, and refuses line breaks in names", () => {
  expect(encodeSseMessage({ data: "a\nb\r\nc" })).toBe("data: a\ndata: b\ndata: c\n\n");
  expect(() => encodeSseMessage({ event: "x\ndata: injected", data: "" })).toThrow();
});

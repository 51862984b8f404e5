/**
 * Server-sent events from a subscription, as a web `Response`: what a route handler returns for
 * an EventSource. Framework-agnostic (a Next route handler, or anything speaking fetch's
 * Response); the route decides what to subscribe to and what each event says.
 *
 * The stream lives until the request's AbortSignal fires (the browser closed the tab or
 * navigated) or the body is cancelled; either way the subscription ends with it, so a closed tab
 * costs the change bus nothing. Findings behind the headers and the heartbeat:
 * toolchain-console.md §3.
 */
import type { ChangeBus } from "./change-bus";
import type { ChangeEvent } from "./change-event";

export type SseMessage = { event?: string; data: string; id?: string };

export type EventStreamOptions<T> = {
  signal: AbortSignal;
  /** Starts the subscription; returns its end. Called once, when the stream starts. */
  subscribe(send: (value: T) => void): () => void;
  /** The message for a value; null sends nothing (the stream's filter). */
  format(value: T): SseMessage | null;
  /** When it resolves, `event: ready` goes out: from then on nothing is missed, so the page refetches once. */
  ready?: Promise<unknown>;
  /** How long the browser waits before reconnecting a dropped stream (ms). */
  retryMs?: number;
  /**
   * A comment line this often keeps proxies and Node's own timeouts from closing an idle
   * stream (a stream idle for 332 s under `next start` stayed open with it).
   */
  heartbeatMs?: number;
  /**
   * A client that reads nothing while this much waits for it is dropped: it reconnects and
   * refetches, rather than its backlog growing in the server's memory.
   */
  maxBufferedBytes?: number;
};

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform: a proxy that compresses or buffers the body would hold events back.
  "cache-control": "no-cache, no-transform",
  // nginx buffers proxied responses unless told not to.
  "x-accel-buffering": "no",
} as const;

/** One message in the text/event-stream format. */
export function encodeSseMessage(message: SseMessage): string {
  for (const field of [message.event, message.id]) {
    // A line break would end the field early and let the rest be read as other fields.
    if (field !== undefined && /[\r\n\0]/.test(field)) throw new Error("SSE event names and ids must be single-line");
  }
  let out = "";
  if (message.id !== undefined) out += `id: ${message.id}\n`;
  if (message.event !== undefined) out += `event: ${message.event}\n`;
  for (const line of message.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

export function eventStreamResponse<T>(options: EventStreamOptions<T>): Response {
  const { signal } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const encoder = new TextEncoder();
  let cleanup = () => {};

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let open = true;
        let unsubscribe: (() => void) | null = null;
        let heartbeat: NodeJS.Timeout | null = null;
        cleanup = () => {
          if (!open) return;
          open = false;
          signal.removeEventListener("abort", cleanup);
          if (heartbeat) clearInterval(heartbeat);
          unsubscribe?.();
          try {
            controller.close();
          } catch {
            // already closed or cancelled
          }
        };
        const write = (text: string) => {
          if (!open) return;
          controller.enqueue(encoder.encode(text));
          if ((controller.desiredSize ?? 0) < -maxBufferedBytes) cleanup();
        };
        if (signal.aborted) return cleanup();
        signal.addEventListener("abort", cleanup);

        write(`retry: ${options.retryMs ?? 3000}\n\n`);
        unsubscribe = options.subscribe((value) => {
          const message = options.format(value);
          if (message) write(encodeSseMessage(message));
        });
        heartbeat = setInterval(() => write(": ping\n\n"), heartbeatMs);
        // The process's other work decides when it exits, not an idle stream's timer.
        heartbeat.unref();
        options.ready?.then(
          () => write(encodeSseMessage({ event: "ready", data: "" })),
          () => cleanup(),
        );
      },
      cancel() {
        cleanup();
      },
    },
    // Counted in bytes, so desiredSize says how much waits for a slow client.
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}

export type ChangeStreamOptions = {
  signal: AbortSignal;
  /** Which changes this stream's page cares about (per device, per install batch, the log); all by default. */
  filter?: (event: ChangeEvent) => boolean;
  /** What the page is told; by default `event: change` with the event as JSON. */
  format?: (event: ChangeEvent) => SseMessage | null;
} & Pick<EventStreamOptions<ChangeEvent>, "retryMs" | "heartbeatMs" | "maxBufferedBytes">;

/** The change bus as an event stream: subscribed for as long as the request lasts. */
export function changeEventStream(bus: ChangeBus, options: ChangeStreamOptions): Response {
  const { filter, format = (event: ChangeEvent) => ({ event: "change", data: JSON.stringify(event) }), ...rest } = options;
  return eventStreamResponse<ChangeEvent>({
    ...rest,
    subscribe: (send) => bus.subscribe(send),
    format: (event) => (filter && !filter(event) ? null : format(event)),
    ready: bus.whenLive(),
  });
}

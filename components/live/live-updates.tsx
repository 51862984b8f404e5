"use client";
/**
 * Keeps the server-rendered page it sits on current: one EventSource on /api/live for its
 * filter, and on every change a `router.refresh()`, so the page's server components render
 * again with fresh data while client state (a table's sort order, scroll, focus) stays.
 * One line per page: `<LiveUpdates filter={{ device: uuid }} />` (or `{ jobs: [...] }`, `{ log: true }`).
 *
 * The stream is closed while the tab is hidden: Chromium opens at most 6 connections per origin
 * over HTTP/1.1, and a seventh tab's stream — or even its next page load — would wait for one
 * (toolchain-console.md §3). It reopens when the tab is shown, and the `ready` event that
 * follows refreshes the page once, so what changed meanwhile appears.
 */
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { liveUrl, type LiveFilter } from "@/lib/live/live-url";
import { createRefreshScheduler, type RefreshScheduler } from "@/lib/live/refresh-scheduler";

type LiveState = "connecting" | "live" | "reconnecting" | "paused";

const LABELS: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  paused: "Paused",
};

const TITLES: Record<LiveState, string> = {
  connecting: "Connecting to live updates",
  live: "This page updates by itself when devices report",
  reconnecting: "The connection for live updates was lost; trying again. The page may be out of date.",
  paused: "Live updates pause while the tab is hidden",
};

/** After the browser gives up on a stream (an answer that is not one: 401, 502 from a proxy), we retry, slower each time. */
const RETRY_MS = 3000;
const MAX_RETRY_MS = 30_000;

export function LiveUpdates({ filter }: { filter: LiveFilter }) {
  const url = liveUrl(filter);
  const router = useRouter();
  const [state, setState] = useState<LiveState>("connecting");
  const [refreshing, startTransition] = useTransition();
  const scheduler = useRef<RefreshScheduler | null>(null);

  useEffect(() => {
    const s = createRefreshScheduler({ refresh: () => startTransition(() => router.refresh()) });
    scheduler.current = s;
    return () => s.dispose();
  }, [router]);

  // The transition ends when the refreshed page has been rendered: only then may the next start.
  useEffect(() => {
    if (!refreshing) scheduler.current?.done();
  }, [refreshing]);

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const refresh = () => scheduler.current?.request();

    const open = () => {
      clearTimeout(retry);
      if (source || document.visibilityState === "hidden") return;
      const es = new EventSource(url);
      source = es;
      es.addEventListener("ready", () => {
        failures = 0;
        setState("live");
        // Whatever changed between the page's render (or the last connection) and now.
        refresh();
      });
      es.addEventListener("change", refresh);
      es.addEventListener("error", () => {
        if (source !== es) return;
        setState("reconnecting");
        // CONNECTING: the browser retries by itself (after the stream's `retry:`). CLOSED: it gave up.
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          source = null;
          retry = setTimeout(open, Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** failures++));
        }
      });
    };
    const close = () => {
      clearTimeout(retry);
      source?.close();
      source = null;
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") {
        close();
        setState("paused");
      } else {
        setState("connecting");
        open();
      }
    };

    open();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      close();
    };
  }, [url]);

  // role=status is a polite live region: its text changes only with the connection's state,
  // never per event, so a screen reader hears "Reconnecting…" and "Live", not every report.
  return (
    <p className="live-indicator" role="status" aria-label="Live updates" data-state={state} title={TITLES[state]}>
      <span className="live-dot" aria-hidden="true" />
      {LABELS[state]}
    </p>
  );
}

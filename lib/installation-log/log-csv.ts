/**
 * The installation log as CSV: exactly the rows the filters show on the page, all of them,
 * newest first, streamed. A pull stream: the next chunk is read only when the client has taken
 * the one before (toolchain-console.md §6), so a million rows never sit in server memory, and
 * each chunk is its own keyset statements, so on the embedded PGlite other requests run
 * between them. A client that goes away cancels the stream, and the reading stops.
 */
import { csvLine } from "@/lib/csv";
import { statusLabel } from "@/lib/installation-jobs/status-model";
import { logChunks, type LogListRow } from "./list-log";
import type { LogListParams } from "./list-log-params";

export const LOG_CSV_COLUMNS = [
  "received_at",
  "device_uuid",
  "device_name",
  "job_id",
  "software",
  "package_id",
  "message_id",
  "event",
  "parameters",
  "status_before",
  "status_after",
  "device_timestamp",
  "log_id",
] as const;

export function logCsvRecord(r: LogListRow): string {
  return csvLine([
    r.receivedAt.toISOString(),
    r.deviceUuid,
    r.deviceName,
    r.jobId,
    r.softwareName,
    r.packageId,
    r.messageId,
    r.event,
    r.parameters.map((p) => `${p.name}=${p.value}`).join("; "),
    r.statusBefore && statusLabel(r.statusBefore),
    r.statusAfter && statusLabel(r.statusAfter),
    r.deviceTimestamp,
    r.id,
  ]);
}

export type LogCsvOptions = {
  chunk?: number;
  budget?: number;
  /** The request's signal: a client gone stops the reading even before the stream is cancelled. */
  signal?: AbortSignal;
  /** Called with each chunk's row count (benchmarks and tests watch the reading). */
  onChunk?: (rows: number) => void;
};

export function logCsvStream(p: LogListParams, opts: LogCsvOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = logChunks(p, opts);
  let header = true;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (header) {
          header = false;
          controller.enqueue(encoder.encode(csvLine(LOG_CSV_COLUMNS)));
          return;
        }
        for (;;) {
          if (opts.signal?.aborted) {
            await chunks.return(undefined);
            controller.close();
            return;
          }
          const { value, done } = await chunks.next();
          if (done) {
            controller.close();
            return;
          }
          opts.onChunk?.(value.length);
          // An empty chunk is a rare filter's budget read that found nothing: read on.
          if (value.length > 0) {
            controller.enqueue(encoder.encode(value.map(logCsvRecord).join("")));
            return;
          }
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    // One chunk read ahead: the next statement runs while the client takes the last one.
    { highWaterMark: 1 },
  );
}

/** The download: UTF-8 CSV as an attachment named after the moment it was made. */
export function logCsvResponse(p: LogListParams, opts: LogCsvOptions = {}, now = new Date()): Response {
  const name = `installation-log-${now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}Z.csv`;
  return new Response(logCsvStream(p, opts), {
    headers: {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

/**
 * The installation log as CSV: exactly the rows the filters show on the page, all of them,
 * newest first, streamed. A pull stream: the next chunk is read only when the client has taken
 * the one before (toolchain-console.md §6), so a million rows never sit in server memory, and
 * each chunk is its own keyset statement, so on the embedded PGlite other requests run
 * between them. A client that goes away cancels the stream, and the reading stops.
 *
 * The export shares the server's event loop with every other request: chunks are read through
 * the pg pool with only the CSV's columns (SQL writes times and parameters as text), each
 * line is written straight from the row, event texts are remembered per export (a few dozen
 * distinct ones cover most rows), and the loop is given back every few hundred rows.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { csvCell, csvLine } from "@/lib/csv";
import { statusLabel, type JobStatus } from "@/lib/installation-jobs/status-model";
import { eventTexts } from "./entries";
import { logExportChunks, type LogExportRow } from "./list-log";
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

/** Rows written between two turns of the event loop: well under a millisecond of work. */
export const ROWS_PER_TURN = 250;
const label = (s: JobStatus | null) => (s === null ? "" : csvCell(statusLabel(s)));

/** One record, in LOG_CSV_COLUMNS' order, with its CRLF. */
export function logCsvRecord(r: LogExportRow, event: string): string {
  return `${csvCell(r.received_at)},${csvCell(r.device_uuid)},${csvCell(r.device_name)},${csvCell(r.job_id)},${csvCell(r.software)},${csvCell(r.package_id)},${csvCell(r.message_id)},${csvCell(event)},${csvCell(r.parameters)},${label(r.status_before)},${label(r.status_after)},${csvCell(r.device_timestamp)},${csvCell(r.id)}\r\n`;
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
  const event = eventTexts();
  const chunks = logExportChunks(p, event, opts);
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
            let text = "";
            for (let i = 0; i < value.length; i++) {
              if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
              const r = value[i]!;
              text += logCsvRecord(r, event(r));
            }
            controller.enqueue(encoder.encode(text));
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

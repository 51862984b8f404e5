/**
 * GET /api/v1/log: the installation log with the console page's filters. JSON, a page at a
 * time with `next` (and `previous`) cursors; with `Accept: text/csv`, every matching row as a
 * CSV stream instead, as the page's export gives it.
 */
import { apiRoute } from "@/lib/api/route";
import { encodeCursor } from "@/lib/db/keyset";
import { statusLabel } from "@/lib/installation-jobs/status-model";
import { logCsvResponse } from "@/lib/installation-log/log-csv";
import { listLogPage, type LogListRow } from "@/lib/installation-log/list-log";
import { logListParamsOrThrow } from "@/lib/installation-log/list-log-params";

export const dynamic = "force-dynamic";

/** Statuses as their display texts, as everywhere in the API. */
function toApiEvent(r: LogListRow) {
  return {
    id: r.id,
    receivedAt: r.receivedAt.toISOString(),
    device: { uuid: r.deviceUuid, name: r.deviceName },
    jobId: r.jobId,
    software: r.softwareName,
    packageId: r.packageId,
    messageId: r.messageId,
    event: r.event,
    parameters: r.parameters,
    statusBefore: r.statusBefore && statusLabel(r.statusBefore),
    statusAfter: r.statusAfter && statusLabel(r.statusAfter),
    deviceTimestamp: r.deviceTimestamp,
  };
}

export const GET = apiRoute({ log: ["read"] }, async ({ request }) => {
  const params = logListParamsOrThrow(new URL(request.url).searchParams);
  if (/\btext\/csv\b/i.test(request.headers.get("accept") ?? "")) return logCsvResponse(params, { signal: request.signal });
  const page = await listLogPage(params);
  return {
    events: page.rows.map(toApiEvent),
    next: page.next && encodeCursor(page.next),
    previous: page.previous && encodeCursor(page.previous),
    partial: page.partial,
  };
});

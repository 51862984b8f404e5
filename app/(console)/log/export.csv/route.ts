/**
 * GET /log/export.csv?…the page's filters: the console's CSV download, for the browser session
 * (or a bearer token). What the page shows, every row of it.
 */
import { sessionRoute } from "@/lib/api/route";
import { logCsvResponse } from "@/lib/installation-log/log-csv";
import { logListParamsOrThrow } from "@/lib/installation-log/list-log-params";

export const dynamic = "force-dynamic";

export const GET = sessionRoute({ log: ["read"] }, async ({ request }) =>
  logCsvResponse(logListParamsOrThrow(new URL(request.url).searchParams), { signal: request.signal }),
);

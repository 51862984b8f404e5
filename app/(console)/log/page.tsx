import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { DataTableToolbar, type Facet, type ToolbarField } from "@/components/data-table/data-table-toolbar";
import { LiveUpdates } from "@/components/live/live-updates";
import { LogTable } from "@/components/log/log-table";
import { IssuesBox } from "@/components/ui/issues-box";
import { JOB_STATUSES, statusLabel } from "@/lib/installation-jobs/status-model";
import { listLogPage, listLogSoftwareOptions, scanBudgetOf, type LogListPage } from "@/lib/installation-log/list-log";
import {
  DEFAULT_LOG_LIST,
  KNOWN_MESSAGE_IDS,
  LOG_PATH,
  MIN_TEXT,
  hasLogFilters,
  logExportHref,
  logListHref,
  logTimeInputValue,
  parseLogListParams,
  type LogListParams,
} from "@/lib/installation-log/list-log-params";
import { messageMeaning } from "@/lib/device-protocol/status-report";

export const dynamic = "force-dynamic";
export const metadata = { title: "Installation log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LogPage({ searchParams }: { searchParams: SearchParams }) {
  await requireActor({ log: ["read"] });
  const parsed = parseLogListParams(await searchParams);
  if (!parsed.ok) {
    return (
      <>
        <h1>Installation log</h1>
        <IssuesBox title="This log address cannot be shown" issues={parsed.issues} resetHref={LOG_PATH} resetText="Show the whole log" />
      </>
    );
  }
  const params = parsed.value;
  const [page, software] = await Promise.all([listLogPage(params), listLogSoftwareOptions()]);
  const filtered = hasLogFilters(params);
  const unfiltered: LogListParams = { ...DEFAULT_LOG_LIST, limit: params.limit };

  const fields: ToolbarField[] = [
    { name: "device", label: "Device", values: params.device, placeholder: "UUID or part of a name", minLength: MIN_TEXT },
    { name: "from", label: "From (UTC)", type: "datetime-local", values: [logTimeInputValue(params.from)] },
    { name: "before", label: "Before (UTC)", type: "datetime-local", values: [logTimeInputValue(params.before)] },
  ];
  const facets: Facet[] = [
    { name: "software", title: "Software", options: software.map((s) => ({ value: String(s.id), label: s.label })), selected: params.software.map(String) },
    { name: "status", title: "Status", options: JOB_STATUSES.map((s) => ({ value: statusLabel(s), label: statusLabel(s) })), selected: params.status.map(statusLabel) },
    { name: "messageId", title: "Message", options: KNOWN_MESSAGE_IDS.map((m) => ({ value: m, label: `${m} ${messageMeaning(m)}` })), selected: params.messageId },
  ];
  const limit = params.limit !== DEFAULT_LOG_LIST.limit ? ([["limit", String(params.limit)]] as [string, string][]) : [];

  return (
    <>
      <div className="page-head">
        <h1>Installation log</h1>
        {/* Only the newest page changes as devices report; a deeper page stays where it was. */}
        {!params.cursor && <LiveUpdates filter={{ log: true }} />}
      </div>
      <DataTableToolbar
        action={LOG_PATH}
        search={{ name: "q", label: "Search event text", placeholder: "Event text, e.g. unsuccessful", value: params.q, minLength: MIN_TEXT }}
        fields={fields}
        facets={facets}
        keep={limit}
        clearHref={filtered ? logListHref(unfiltered) : null}
      />
      <p className="log-export">
        {/* A plain link: the browser downloads the stream itself, no script holds it. */}
        <a href={logExportHref(params)} download data-testid="log-export">
          Download CSV
        </a>{" "}
        <span className="muted">{filtered ? "every event these filters match" : "the whole log"}, newest first</span>
      </p>
      <LogTable
        rows={page.rows}
        caption={filtered ? "Installation log events matching the filters, newest first" : "Every installation log event, newest first"}
        emptyText={emptyText(page, params, filtered, unfiltered)}
      />
      {page.partial && (
        <p className="scan-note" role="status" data-testid="log-partial">
          The search read {scanBudgetOf(params).toLocaleString("en-US")} events without filling the page. {pageDirection(params) === "next" ? "Next" : "Previous"} searches further.
        </p>
      )}
      <DataTablePagination
        summary={`${page.rows.length.toLocaleString("en-US")} ${page.rows.length === 1 ? "event" : "events"} on this page`}
        firstHref={params.cursor ? logListHref(params, { cursor: null }) : null}
        previousHref={page.previous ? logListHref(params, { cursor: page.previous }) : null}
        nextHref={page.next ? logListHref(params, { cursor: page.next }) : null}
        previousLabel={page.partial && pageDirection(params) === "previous" ? "Previous searches further" : undefined}
        nextLabel={page.partial && pageDirection(params) === "next" ? "Next searches further" : undefined}
      />
    </>
  );
}

function pageDirection(p: LogListParams): "next" | "previous" {
  return p.cursor?.direction === "before" ? "previous" : "next";
}

function emptyText(page: LogListPage, params: LogListParams, filtered: boolean, unfiltered: LogListParams) {
  if (page.partial) return `No matching events among the ${scanBudgetOf(params).toLocaleString("en-US")} read for this page.`;
  if (filtered) {
    return (
      <>
        No events match these filters{params.cursor ? " on this side of the page position" : ""}. <Link href={logListHref(unfiltered)}>Clear filters</Link>
      </>
    );
  }
  return params.cursor ? (
    <>
      No more events. <Link href={logListHref(params, { cursor: null })}>Back to the first page</Link>
    </>
  ) : (
    "No events yet. Every job change and every device report appears here."
  );
}

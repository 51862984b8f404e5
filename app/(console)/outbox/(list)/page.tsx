import Link from "next/link";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { DataTableToolbar, type Facet } from "@/components/data-table/data-table-toolbar";
import { MessageListTable } from "@/components/delivery/message-list-table";
import { IssuesBox } from "@/components/ui/issues-box";
import { requireActor } from "@/lib/auth/session";
import { listMessagesPage } from "@/lib/delivery/list-messages";
import {
  DEFAULT_MESSAGE_LIST,
  MESSAGE_SORTS,
  MIN_SEARCH,
  hasMessageFilters,
  messageListHref,
  messageListQuery,
  messageSortHref,
  parseMessageListParams,
  type MessageListParams,
} from "@/lib/delivery/list-messages-params";
import { MESSAGE_STATE_INFO, MESSAGE_STATES } from "@/lib/delivery/message-state";
import { MESSAGE_KIND_LABELS, MESSAGE_KINDS, OUTBOX_PATH } from "@/lib/delivery/message-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Outbox" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OutboxPage({ searchParams }: { searchParams: SearchParams }) {
  await requireActor({ job: ["read"] });
  const parsed = parseMessageListParams(await searchParams);
  if (!parsed.ok) {
    return (
      <>
        <h1>Outbox</h1>
        <IssuesBox title="This list address cannot be shown" issues={parsed.issues} resetHref={OUTBOX_PATH} resetText="Show all messages" />
      </>
    );
  }
  const params = parsed.value;
  const page = await listMessagesPage(params);

  const filtered = hasMessageFilters(params);
  const unfiltered: MessageListParams = { ...DEFAULT_MESSAGE_LIST, sort: params.sort, dir: params.dir, limit: params.limit };
  const facets: Facet[] = [
    { name: "kind", title: "Kind", options: MESSAGE_KINDS.map((k) => ({ value: k, label: MESSAGE_KIND_LABELS[k] })), selected: params.kind },
    { name: "state", title: "State", options: MESSAGE_STATES.map((s) => ({ value: s, label: MESSAGE_STATE_INFO[s].label })), selected: params.state },
  ];
  // The job and the device have no control of their own (the job page and the device page link
  // here with them): they stay across filter changes until "Clear filters".
  const keep = [...messageListQuery({ ...unfiltered, job: params.job, device: params.device }).entries()];

  return (
    <>
      <h1>Outbox</h1>
      <p className="muted">Every message sent to devices: SMS and WAP push links to a package, and OMA DM bootstraps, with what the gateway did with each.</p>
      {params.job !== null ? (
        <p data-testid="outbox-scope">
          Messages of <Link href={`/jobs/${params.job}`}>job {params.job}</Link> · <Link href={messageListHref(params, { job: null, cursor: null })}>all jobs</Link>
        </p>
      ) : null}
      {params.device !== null ? (
        <p data-testid="outbox-scope">
          Messages to{" "}
          {page.device ? <Link href={`/devices/${encodeURIComponent(page.device.deviceUuid)}`}>{page.device.name}</Link> : <span className="mono">{params.device}</span>}
          {page.device ? null : " (no such device)"} · <Link href={messageListHref(params, { device: null, cursor: null })}>all devices</Link>
        </p>
      ) : null}
      <DataTableToolbar
        action={OUTBOX_PATH}
        search={{ name: "q", label: "Phone number or device UUID", placeholder: "Phone number or device UUID", value: params.q, minLength: MIN_SEARCH }}
        facets={facets}
        keep={keep}
        clearHref={filtered ? messageListHref(unfiltered) : null}
      />
      <MessageListTable
        rows={page.rows}
        sorting={{ id: params.sort, desc: params.dir === "desc" }}
        sortHrefs={Object.fromEntries(MESSAGE_SORTS.map((s) => [s, messageSortHref(params, s)]))}
        emptyText={
          filtered ? (
            <>
              No messages match these filters. <Link href={messageListHref(unfiltered)}>Clear filters</Link>
            </>
          ) : params.cursor ? (
            <>
              No more messages. <Link href={messageListHref(params, { cursor: null })}>Back to the first page</Link>
            </>
          ) : (
            "No messages yet. Installing by SMS or WAP push, or with OMA DM, sends them, and they appear here."
          )
        }
      />
      <DataTablePagination
        summary={`${page.rows.length.toLocaleString("en-US")} ${page.rows.length === 1 ? "message" : "messages"} on this page`}
        firstHref={params.cursor && page.previous ? messageListHref(params, { cursor: null }) : null}
        previousHref={page.previous ? messageListHref(params, { cursor: page.previous }) : null}
        nextHref={page.next ? messageListHref(params, { cursor: page.next }) : null}
      />
    </>
  );
}

import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { DataTableToolbar, type Facet } from "@/components/data-table/data-table-toolbar";
import { DevicesTable } from "@/components/devices/devices-table";
import { IssuesBox } from "@/components/ui/issues-box";
import { listDeviceFacets, listDevicesPage, type DeviceTotal } from "@/lib/devices/list-devices";
import {
  DEFAULT_DEVICE_LIST,
  DEVICE_SORTS,
  DEVICES_PATH,
  JOB_STATE_FILTERS,
  JOB_STATE_LABELS,
  LAST_CONTACT_FILTERS,
  LAST_CONTACT_LABELS,
  MIN_SEARCH,
  deviceListHref,
  deviceListQuery,
  hasFilters,
  parseDeviceListParams,
  sortHref,
  type DeviceListParams,
} from "@/lib/devices/list-devices-params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Devices" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DevicesPage({ searchParams }: { searchParams: SearchParams }) {
  await requireActor({ device: ["read"] });
  const parsed = parseDeviceListParams(await searchParams);
  if (!parsed.ok) {
    return (
      <>
        <h1>Devices</h1>
        <IssuesBox title="This list address cannot be shown" issues={parsed.issues} resetHref={DEVICES_PATH} resetText="Show all devices" />
      </>
    );
  }
  const params = parsed.value;
  const now = new Date();
  const [page, facets] = await Promise.all([listDevicesPage(params, now), listDeviceFacets()]);

  const filtered = hasFilters(params);
  const unfiltered: DeviceListParams = { ...DEFAULT_DEVICE_LIST, sort: params.sort, dir: params.dir, limit: params.limit };
  const toolbarFacets: Facet[] = [
    { name: "platform", title: "Platform", options: facets.platforms.map((v) => ({ value: v, label: v })), selected: params.platform },
    { name: "clientVersion", title: "Client version", options: facets.clientVersions.map((v) => ({ value: v, label: v })), selected: params.clientVersion },
    { name: "lastContact", title: "Last contact", options: LAST_CONTACT_FILTERS.map((v) => ({ value: v, label: LAST_CONTACT_LABELS[v] })), selected: params.lastContact },
    { name: "jobState", title: "Jobs", options: JOB_STATE_FILTERS.map((v) => ({ value: v, label: JOB_STATE_LABELS[v] })), selected: params.jobState },
  ];
  const matching = totalText(page.total);

  return (
    <>
      <h1>Devices</h1>
      <DataTableToolbar
        action={DEVICES_PATH}
        search={{ name: "q", label: "Search devices", placeholder: "Name, UUID or phone number", value: params.q, minLength: MIN_SEARCH }}
        facets={toolbarFacets}
        keep={[...deviceListQuery(unfiltered).entries()]}
        clearHref={filtered ? deviceListHref(unfiltered) : null}
      />
      <DevicesTable
        // A new address (filters, sort, page) starts a new selection.
        key={deviceListQuery(params).toString()}
        rows={page.rows}
        now={now.toISOString()}
        sorting={{ id: params.sort, desc: params.dir === "desc" }}
        sortHrefs={Object.fromEntries(DEVICE_SORTS.map((s) => [s, sortHref(params, s)]))}
        matching={matching}
        filterQuery={deviceListQuery({ ...params, cursor: null }).toString()}
        emptyText={
          filtered ? (
            <>
              No devices match these filters. <Link href={deviceListHref(unfiltered)}>Clear filters</Link>
            </>
          ) : params.cursor ? (
            <>
              No more devices. <Link href={deviceListHref(params, { cursor: null })}>Back to the first page</Link>
            </>
          ) : (
            "No devices yet. A device appears here once it is registered or enrolls on its first poll."
          )
        }
      />
      <DataTablePagination
        summary={summary(page.rows.length, page.total, filtered)}
        firstHref={params.cursor && page.previous ? deviceListHref(params, { cursor: null }) : null}
        previousHref={page.previous ? deviceListHref(params, { cursor: page.previous }) : null}
        nextHref={page.next ? deviceListHref(params, { cursor: page.next }) : null}
      />
    </>
  );
}

function totalText(total: DeviceTotal): string {
  const n = total.value.toLocaleString("en-US");
  switch (total.kind) {
    case "exact":
      return n;
    case "atLeast":
      return `${n}+`;
    case "about":
      return `about ${n}`;
  }
}

function summary(shown: number, total: DeviceTotal, filtered: boolean): string {
  const rows = `${shown.toLocaleString("en-US")} ${shown === 1 ? "device" : "devices"} on this page`;
  const all = totalText(total);
  return filtered ? `${rows} · ${all} matching` : `${rows} · ${all} in all`;
}

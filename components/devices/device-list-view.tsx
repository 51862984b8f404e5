/**
 * A devices list at fleet scale — search, facets, keyset pages, selection — wherever devices
 * are chosen: the devices page, and the install wizard's device picker. Both read the same
 * URL parameters through the same schema (list-devices-params.ts); `base` says where the list
 * lives and which of the page's own parameters its links keep.
 */
import Link from "next/link";
import type { ReactNode } from "react";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { DataTableToolbar, type Facet } from "@/components/data-table/data-table-toolbar";
import { IssuesBox } from "@/components/ui/issues-box";
import { listGroups, type GroupRow } from "@/lib/devices/device-groups";
import { listDeviceFacets, listDevicesPage, type DeviceListPage, type DeviceTotal } from "@/lib/devices/list-devices";
import {
  DEFAULT_DEVICE_LIST,
  DEVICE_SORTS,
  HIDE_FILTERS,
  HIDE_LABELS,
  JOB_STATE_FILTERS,
  JOB_STATE_LABELS,
  LAST_CONTACT_FILTERS,
  LAST_CONTACT_LABELS,
  MIN_SEARCH,
  deviceListHref,
  deviceListQuery,
  hasFilters,
  sortHref,
  type DeviceListBase,
  type DeviceListParams,
} from "@/lib/devices/list-devices-params";
import { isAppError } from "@/lib/errors";
import type { Parsed } from "@/lib/validation";
import { SaveFilterForm } from "./device-bulk-actions";
import { DevicesTable, type DeviceTableActions } from "./devices-table";

type Props = {
  parsed: Parsed<DeviceListParams>;
  base: DeviceListBase;
  actions: DeviceTableActions;
  /** Where "Clear filters" and the issues box lead: the list with no filters. */
  resetHref: string;
  emptyText: ReactNode;
  /** An action for every device the filters match (the wizard's "Install on every matching device"), given their count and filter. */
  allMatchingAction?: (matching: string, filter: string) => ReactNode;
  /** The device groups, when the page has read them already (for its own actions); else read here, once. */
  groups?: GroupRow[];
};

export async function DeviceListView({ parsed, base, actions, resetHref, emptyText, allMatchingAction, groups: known }: Props) {
  if (!parsed.ok) return <IssuesBox title="This list address cannot be shown" issues={parsed.issues} resetHref={resetHref} resetText="Show all devices" />;
  const params = parsed.value;
  const now = new Date();
  let page: DeviceListPage;
  const [facets, groups] = await Promise.all([listDeviceFacets(), known ?? listGroups()]);
  try {
    page = await listDevicesPage(params, now);
  } catch (error) {
    // A group that is gone, or a saved filter that no longer parses.
    if (isAppError(error, "VALIDATION_FAILED")) return <IssuesBox title="This list address cannot be shown" issues={error.details?.fields ?? []} resetHref={resetHref} resetText="Show all devices" />;
    throw error;
  }

  const filtered = hasFilters(params);
  const unfiltered: DeviceListParams = { ...DEFAULT_DEVICE_LIST, sort: params.sort, dir: params.dir, limit: params.limit };
  const toolbarFacets: Facet[] = [
    { name: "platform", title: "Platform", options: facets.platforms.map((v) => ({ value: v, label: v })), selected: params.platform },
    { name: "clientVersion", title: "Client version", options: facets.clientVersions.map((v) => ({ value: v, label: v })), selected: params.clientVersion },
    { name: "lastContact", title: "Last contact", options: LAST_CONTACT_FILTERS.map((v) => ({ value: v, label: LAST_CONTACT_LABELS[v] })), selected: params.lastContact },
    { name: "jobState", title: "Jobs", options: JOB_STATE_FILTERS.map((v) => ({ value: v, label: JOB_STATE_LABELS[v] })), selected: params.jobState },
    { name: "group", title: "Group", options: groups.map((g) => ({ value: String(g.id), label: g.name })), selected: params.group.map(String) },
    { name: "hide", title: "Hide", options: HIDE_FILTERS.map((v) => ({ value: v, label: HIDE_LABELS[v] })), selected: params.hide },
  ];
  if (params.clientBelow !== null) {
    // Set by the install wizard for a DME client; shown so it can be seen and taken off.
    toolbarFacets.push({ name: "clientBelow", title: "Running", options: [{ value: params.clientBelow, label: `A version below ${params.clientBelow}` }], selected: [params.clientBelow] });
  }
  const matching = totalText(page.total);
  const listQuery = deviceListQuery({ ...params, cursor: null });
  return (
    <>
      <DataTableToolbar
        action={base.path}
        search={{ name: "q", label: "Search devices", placeholder: "Name, UUID or phone number", value: params.q, minLength: MIN_SEARCH }}
        facets={toolbarFacets}
        keep={[...(base.fixed ?? []), ...deviceListQuery(unfiltered).entries()]}
        clearHref={filtered ? resetHref : null}
      />
      {allMatchingAction && page.rows.length > 0 ? <div className="button-row list-action">{allMatchingAction(matching, listQuery.toString())}</div> : null}
      <DevicesTable
        // A new address (filters, sort, page) starts a new selection.
        key={deviceListQuery(params).toString()}
        rows={page.rows}
        now={now.toISOString()}
        sorting={{ id: params.sort, desc: params.dir === "desc" }}
        sortHrefs={Object.fromEntries(DEVICE_SORTS.map((s) => [s, sortHref(params, s, base)]))}
        matching={matching}
        filterQuery={listQuery.toString()}
        actions={actions}
        emptyText={
          filtered ? (
            <>
              No devices match these filters. <Link href={resetHref}>Clear filters</Link>
            </>
          ) : params.cursor ? (
            <>
              No more devices. <Link href={deviceListHref(params, { cursor: null }, base)}>Back to the first page</Link>
            </>
          ) : (
            emptyText
          )
        }
      />
      <DataTablePagination
        summary={summary(page.rows.length, page.total, filtered)}
        firstHref={params.cursor && page.previous ? deviceListHref(params, { cursor: null }, base) : null}
        previousHref={page.previous ? deviceListHref(params, { cursor: page.previous }, base) : null}
        nextHref={page.next ? deviceListHref(params, { cursor: page.next }, base) : null}
      />
      {filtered && actions.kind === "devices" && actions.canSaveFilter ? (
        <SaveFilterForm filter={deviceListQuery({ ...DEFAULT_DEVICE_LIST, ...filtersOf(params) }).toString()} />
      ) : null}
    </>
  );
}

/** The filters of a list state, without its sort and page. */
function filtersOf(p: DeviceListParams): Partial<DeviceListParams> {
  return { q: p.q, platform: p.platform, clientVersion: p.clientVersion, lastContact: p.lastContact, jobState: p.jobState, group: p.group, clientBelow: p.clientBelow, hide: p.hide };
}

export function totalText(total: DeviceTotal): string {
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

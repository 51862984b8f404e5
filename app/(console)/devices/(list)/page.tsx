import Link from "next/link";
import { DeviceListView } from "@/components/devices/device-list-view";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { listGroups } from "@/lib/devices/device-groups";
import { DEFAULT_DEVICE_LIST, DEVICES_PATH, deviceListHref, parseDeviceListParams } from "@/lib/devices/list-devices-params";
import { installableSoftware } from "@/lib/software/queries";

export const dynamic = "force-dynamic";
export const metadata = { title: "Devices" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DevicesPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor({ device: ["read"] });
  const parsed = parseDeviceListParams(await searchParams);
  const canInstall = actorCan(actor, { job: ["write"] });
  const canEdit = actorCan(actor, { device: ["write"] });
  // One read of the groups serves the Group facet and the Add-to-group action.
  const [software, groups] = await Promise.all([canInstall ? installableSoftware() : [], listGroups()]);
  const reset = parsed.ok ? deviceListHref({ ...DEFAULT_DEVICE_LIST, sort: parsed.value.sort, dir: parsed.value.dir, limit: parsed.value.limit }) : DEVICES_PATH;
  return (
    <>
      <div className="page-head">
        <h1>Devices</h1>
        {canEdit ? (
          <Link className="button-link" href="/devices/new">
            Register a device
          </Link>
        ) : null}
      </div>
      <DeviceListView
        parsed={parsed}
        base={{ path: DEVICES_PATH }}
        resetHref={reset}
        groups={groups}
        actions={
          canInstall || canEdit
            ? { kind: "devices", canWriteJobs: canInstall, software, groups: canEdit ? groups.filter((g) => g.kind === "STATIC").map((g) => ({ id: g.id, name: g.name })) : null, canSaveFilter: canEdit }
            : { kind: "none" }
        }
        emptyText="No devices yet. A device appears here once it is registered or enrolls on its first poll."
      />
    </>
  );
}

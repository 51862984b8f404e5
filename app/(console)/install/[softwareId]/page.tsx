import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { DeviceListView } from "@/components/devices/device-list-view";
import { InstallDialog, InstallWindow } from "@/components/install/install-window";
import { WizardSteps } from "@/components/install/wizard-steps";
import { requireActor } from "@/lib/auth/session";
import { MAX_SELECTED_DEVICES } from "@/lib/devices/device-selection-schema";
import { DEFAULT_DEVICE_LIST, deviceListHref, parseDeviceListParams, type DeviceListParams } from "@/lib/devices/list-devices-params";
import { deviceNamesByUuid } from "@/lib/devices/queries";
import { getSoftware, softwareLabel } from "@/lib/software/queries";
import { idParam, searchParamValues } from "@/lib/validation";

export const dynamic = "force-dynamic";
export const metadata = { title: "Install software: devices" };

type Props = { params: Promise<{ softwareId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Marks an address as the picker's own (so its filters, even none, are the user's, not the preset). */
const PICKER: [string, string] = ["step", "devices"];

/**
 * The install wizard's second step, then its third. Devices chosen before the wizard (a device
 * page's "Install software") go straight to the Installation window. Otherwise the device
 * picker: the devices list, which for software built for one platform starts filtered to that
 * platform, for a DME client also to devices running a lower version (with the Hide facet for
 * devices already on the default or a test build); one, many or every matching device (at most
 * 10,000) then open the window.
 */
export default async function InstallDevicesPage({ params, searchParams }: Props) {
  await requireActor({ job: ["write"] });
  const software = await getSoftware(Number((await params).softwareId));
  if (!software) notFound();
  const label = softwareLabel(software);
  const values = searchParamValues(await searchParams);
  const head = (
    <>
      <p>
        <Link href="/install">← Choose other software</Link>
      </p>
      <h1>Install {label}</h1>
    </>
  );
  if (software.withdrawnAt || !software.fileName) {
    return (
      <>
        {head}
        <p role="alert" className="form-error">
          {software.withdrawnAt ? "This entry is withdrawn: it cannot be installed." : "This entry has no package file yet: upload one in the library first."}
        </p>
      </>
    );
  }
  const choice = { id: software.id, label };

  const picked = values.get("devices") ?? [];
  if (picked.length > 0) {
    const devices = await deviceNamesByUuid(picked);
    const unknown = picked.filter((u) => !devices.some((d) => d.deviceUuid === u));
    return (
      <>
        {head}
        <WizardSteps current={3} />
        <ul className="chosen-devices" aria-label="Chosen devices">
          {devices.map((d) => (
            <li key={d.deviceUuid}>
              <Link href={`/devices/${encodeURIComponent(d.deviceUuid)}`}>{d.name}</Link> <span className="muted">{[d.platform, d.clientVersion].filter(Boolean).join(", ")}</span>
            </li>
          ))}
        </ul>
        {unknown.length > 0 ? (
          <p role="alert" className="form-error">
            No device has the UUID {unknown.join(", ")}.
          </p>
        ) : null}
        {devices.length > 0 ? (
          <InstallWindow software={{ fixed: choice }} selection={{ kind: "uuids", uuids: devices.map((d) => d.deviceUuid) }} summary={devices.length === 1 ? devices[0]!.name : `${devices.length} devices`} />
        ) : null}
        <p>
          <Link href={`/install/${software.id}`}>Choose other devices</Link>
        </p>
      </>
    );
  }

  const base = { path: `/install/${software.id}`, fixed: [PICKER] };
  if (values.get("step")?.[0] !== "devices") {
    // A group page's link brings its group along; an id that is not one is left out of the preset.
    const groups = (values.get("group") ?? []).map((g) => idParam("device group").safeParse(g)).flatMap((id) => (id.success ? [id.data] : []));
    const preset: DeviceListParams = { ...DEFAULT_DEVICE_LIST, group: groups };
    // Software built for one platform starts with the devices of that platform; a DME client
    // also with those on a lower client version (the DME manual's picker).
    if (software.platform) preset.platform = [software.platform];
    if (software.kind === "DME_CLIENT") preset.clientBelow = software.version;
    redirect(deviceListHref(preset, {}, base));
  }
  const parsed = parseDeviceListParams(await searchParams);
  return (
    <>
      {head}
      <WizardSteps current={2} />
      <p>
        Choose the devices: tick them on this page, or take every device the filters match (at most {MAX_SELECTED_DEVICES.toLocaleString("en-US")}).
        {software.kind === "DME_CLIENT"
          ? " A DME client starts with devices of its platform that run a lower version."
          : software.platform
            ? ` Software for ${software.platform} starts with the devices of that platform.`
            : null}
      </p>
      <DeviceListView
        parsed={parsed}
        base={base}
        resetHref={deviceListHref(DEFAULT_DEVICE_LIST, {}, base)}
        actions={{ kind: "install", software: choice }}
        allMatchingAction={(matching, filter) => (
          <InstallDialog buttonText={`Install on every matching device (${matching})…`} software={{ fixed: choice }} selection={{ kind: "filter", filter }} summary={`every matching device (${matching})`} />
        )}
        emptyText="No devices yet. A device appears here once it is registered or enrolls on its first poll."
      />
    </>
  );
}

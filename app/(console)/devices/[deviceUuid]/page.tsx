import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeviceFacts } from "@/components/devices/device-facts";
import { DeviceReports } from "@/components/devices/device-reports";
import { JobsTable } from "@/components/jobs/jobs-table";
import { LiveUpdates } from "@/components/live/live-updates";
import { InstallationLog } from "@/components/log/installation-log";
import { BootstrapControls } from "@/components/devices/bootstrap-controls";
import { DeviceAdmin } from "@/components/devices/device-admin";
import { DeviceSettingsForm } from "@/components/settings/device-settings-form";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { loadDevicePage } from "@/lib/devices/device-page";
import { getDeviceByUuid } from "@/lib/devices/queries";
import { DEFAULT_JOB_LIST, jobListHref } from "@/lib/installation-jobs/list-jobs-params";
import { DEFAULT_MESSAGE_LIST, messageListHref } from "@/lib/delivery/list-messages-params";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ deviceUuid: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  await requireActor({ device: ["read"] });
  const device = await getDeviceByUuid((await params).deviceUuid);
  return { title: device?.name ?? "Device not found" };
}

export default async function DevicePage({ params }: Params) {
  const actor = await requireActor({ device: ["read"] });
  const loaded = await loadDevicePage((await params).deviceUuid);
  if (!loaded) notFound();
  const { device, jobs, log, inventories, files, settings } = loaded;

  return (
    <>
      <div className="page-head">
        <h1>{device.name}</h1>
        {/* Reports re-render this page (its tables, counts and log) without a reload. */}
        <LiveUpdates filter={{ device: device.deviceUuid }} />
      </div>
      {actorCan(actor, { job: ["write"] }) ? (
        <p>
          <Link className="button-link" href={`/install?devices=${encodeURIComponent(device.deviceUuid)}`}>
            Install software…
          </Link>
        </p>
      ) : null}
      <DeviceFacts device={device} />
      {actorCan(actor, { device: ["write"] }) ? <BootstrapControls deviceUuid={device.deviceUuid} bootstrapped={device.omaDmBootstrapped} /> : null}
      <JobsTable caption="Installing" jobs={jobs.installing} emptyText="Nothing is being installed on this device." />
      <JobsTable caption="Installed" jobs={jobs.installed} emptyText="Nothing was installed on this device in the last 7 days." />
      <p>
        <Link href={jobListHref(DEFAULT_JOB_LIST, { device: device.deviceUuid })}>Every job of this device</Link>, older and cancelled ones too
        {actorCan(actor, { job: ["read"] }) ? (
          <>
            {" "}
            · <Link href={messageListHref(DEFAULT_MESSAGE_LIST, { device: device.deviceUuid })}>Messages sent to this device</Link> (SMS, WAP push, bootstraps) in the Outbox
          </>
        ) : null}
      </p>
      <InstallationLog rows={log} deviceUuid={device.deviceUuid} />
      <DeviceReports deviceUuid={device.deviceUuid} inventories={inventories} files={files} />
      <DeviceSettingsForm deviceUuid={device.deviceUuid} settings={settings} editable={actorCan(actor, { device: ["write"] })} />
      {actorCan(actor, { device: ["write"] }) ? <DeviceAdmin deviceUuid={device.deviceUuid} name={device.name} platform={device.platform} phoneNumber={device.phoneNumber} /> : null}
    </>
  );
}

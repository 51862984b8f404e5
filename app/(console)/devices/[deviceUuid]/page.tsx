import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeviceFacts } from "@/components/devices/device-facts";
import { DeviceReports } from "@/components/devices/device-reports";
import { JobsTable } from "@/components/jobs/jobs-table";
import { LiveUpdates } from "@/components/live/live-updates";
import { InstallationLog } from "@/components/log/installation-log";
import { requireActor } from "@/lib/auth/session";
import { getDeviceByUuid, latestInventories, listCollectedFiles } from "@/lib/devices/queries";
import { listDeviceJobs } from "@/lib/installation-jobs/queries";
import { listDeviceLog } from "@/lib/installation-log/queries";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ deviceUuid: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  await requireActor({ device: ["read"] });
  const device = await getDeviceByUuid((await params).deviceUuid);
  return { title: device?.name ?? "Device not found" };
}

export default async function DevicePage({ params }: Params) {
  await requireActor({ device: ["read"] });
  const device = await getDeviceByUuid((await params).deviceUuid);
  if (!device) notFound();
  const [jobs, log, inventories, files] = await Promise.all([
    listDeviceJobs(device.id, new Date()),
    listDeviceLog(device.id),
    latestInventories(device.id),
    listCollectedFiles(device.id),
  ]);

  return (
    <>
      <div className="page-head">
        <h1>{device.name}</h1>
        {/* Reports re-render this page (its tables, counts and log) without a reload. */}
        <LiveUpdates filter={{ device: device.deviceUuid }} />
      </div>
      <DeviceFacts device={device} />
      <JobsTable caption="Installing" jobs={jobs.installing} emptyText="Nothing is being installed on this device." />
      <JobsTable caption="Installed" jobs={jobs.installed} emptyText="Nothing was installed on this device in the last 7 days." />
      <InstallationLog rows={log} deviceUuid={device.deviceUuid} />
      <DeviceReports deviceUuid={device.deviceUuid} inventories={inventories} files={files} />
    </>
  );
}

/**
 * Everything the device page shows, read in one go (the page renders it; bench:console times
 * it): the device, its Installing and Installed jobs, its latest log rows, inventories,
 * collected files and settings. Each read is one indexed query on the device's id.
 */
import { listDeviceJobs } from "@/lib/installation-jobs/queries";
import { listDeviceLog } from "@/lib/installation-log/queries";
import { getDeviceSettings } from "@/lib/settings/manage-settings";
import { getDeviceByUuid, latestInventories, listCollectedFiles } from "./queries";

export async function loadDevicePage(deviceUuid: string, now = new Date()) {
  const device = await getDeviceByUuid(deviceUuid);
  if (!device) return null;
  const [jobs, log, inventories, files, settings] = await Promise.all([
    listDeviceJobs(device.id, now),
    listDeviceLog(device.id),
    latestInventories(device.id),
    listCollectedFiles(device.id),
    getDeviceSettings(device.id),
  ]);
  return { device, jobs, log, inventories, files, settings };
}

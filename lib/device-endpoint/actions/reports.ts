/**
 * X-Device-Action: Report, by X-Device-ReportType: SoftwareInventory (§5.8), MachineInventory
 * (§5.9) and FileCollection (§5.10, the raw file as the body). Each answers 200 OK, empty.
 */
import { deviceHeaderRecord, singleHeader } from "@/lib/device-protocol/headers";
import { clientVersionOf, parseMachineInventory, parseSoftwareInventory } from "@/lib/device-protocol/inventory";
import { decodeXmlBody } from "@/lib/device-protocol/xml";
import { syncClientVersion } from "@/lib/devices/client-version";
import { recordCollectedFile, recordInventory } from "@/lib/devices/inventories";
import { AppError } from "@/lib/errors";
import { okResponse } from "../responses";
import type { ActionHandler } from "../registry";

export const softwareInventoryAction: ActionHandler = async ({ request, device, now }) => {
  const body = decodeXmlBody(request.body);
  await recordInventory(device.id, "SOFTWARE", { body, headers: deviceHeaderRecord(request.headers) }, parseSoftwareInventory(body), now);
  return okResponse();
};

export const machineInventoryAction: ActionHandler = async ({ request, device, now }) => {
  const body = decodeXmlBody(request.body);
  const inventory = parseMachineInventory(body);
  await recordInventory(device.id, "MACHINE", { body, headers: deviceHeaderRecord(request.headers) }, inventory, now);
  // The system info synchronization: a client version in the inventory verifies as the header does.
  await syncClientVersion(device.id, device.clientVersion, clientVersionOf(inventory), now);
  return okResponse();
};

export const fileCollectionAction: ActionHandler = async ({ request, device, now }) => {
  const path = singleHeader(request.headers, "X-Device-FullyQualifiedFilename");
  if (path === null) throw new AppError("INVALID_MESSAGE", "A FileCollection report needs an X-Device-FullyQualifiedFilename header.");
  await recordCollectedFile(device.id, path, request.body, now);
  return okResponse();
};

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
import { defineAction } from "../action";
import { okResponse } from "../responses";

export const softwareInventoryAction = defineAction({
  parse(request) {
    const body = decodeXmlBody(request.body);
    return { body, inventory: parseSoftwareInventory(body), headers: deviceHeaderRecord(request.headers) };
  },
  async run({ device, now }, { body, inventory, headers }) {
    await recordInventory(device.id, "SOFTWARE", { body, headers }, inventory, now);
    return okResponse();
  },
});

export const machineInventoryAction = defineAction({
  parse(request) {
    const body = decodeXmlBody(request.body);
    return { body, inventory: parseMachineInventory(body), headers: deviceHeaderRecord(request.headers) };
  },
  async run({ device, now }, { body, inventory, headers }) {
    await recordInventory(device.id, "MACHINE", { body, headers }, inventory, now);
    // The system info synchronization: a client version in the inventory verifies as the header does.
    await syncClientVersion(device.id, device.clientVersion, clientVersionOf(inventory), now);
    return okResponse();
  },
});

export const fileCollectionAction = defineAction({
  parse(request) {
    const path = singleHeader(request.headers, "X-Device-FullyQualifiedFilename");
    if (path === null) throw new AppError("INVALID_MESSAGE", "A FileCollection report needs an X-Device-FullyQualifiedFilename header.");
    if (path.length > 1024) throw new AppError("INVALID_MESSAGE", "X-Device-FullyQualifiedFilename is longer than 1024 characters.");
    return { path, body: request.body };
  },
  async run({ device, now }, { path, body }) {
    await recordCollectedFile(device.id, path, body, now);
    return okResponse();
  },
});

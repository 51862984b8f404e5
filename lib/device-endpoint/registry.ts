/**
 * The device endpoint: one table from X-Device-Action (and, for reports, X-Device-ReportType)
 * to the module that handles that message. Every handler takes the authenticated device and the
 * plain request and returns a plain response, so the Next route and the lean device server
 * mount exactly this.
 */
import { readAction, readClientVersion, readCredentials, readReportType, type DeviceAction, type ReportType } from "@/lib/device-protocol/headers";
import { syncClientVersion } from "@/lib/devices/client-version";
import { authenticateDevice, type AuthenticatedDevice } from "@/lib/devices/authenticate-device";
import { AppError } from "@/lib/errors";
import { instructionRequestAction } from "./actions/instructions";
import { locationRequestAction } from "./actions/location";
import { pollAction } from "./actions/poll";
import { fileCollectionAction, machineInventoryAction, softwareInventoryAction } from "./actions/reports";
import { statusAction } from "./actions/status";
import { errorResponse } from "./responses";
import type { DeviceRequest, DeviceResponse } from "./types";

export type ActionContext = { request: DeviceRequest; device: AuthenticatedDevice; now: Date };
export type ActionHandler = (ctx: ActionContext) => Promise<DeviceResponse>;

const ACTIONS: { [A in Exclude<DeviceAction, "Report">]: ActionHandler } & { Report: { [R in ReportType]: ActionHandler } } = {
  Poll: pollAction,
  InstructionRequest: instructionRequestAction,
  LocationRequest: locationRequestAction,
  Status: statusAction,
  Report: {
    SoftwareInventory: softwareInventoryAction,
    MachineInventory: machineInventoryAction,
    FileCollection: fileCollectionAction,
  },
};

/** Whether this is a poll, without refusing anything yet (identity is checked first). */
function isPoll(request: DeviceRequest): boolean {
  const values = request.headers["x-device-action"] ?? [];
  return values.length === 1 && values[0]!.trim().toLowerCase() === "poll";
}

function resolveHandler(request: DeviceRequest): ActionHandler {
  const action = readAction(request.headers);
  return action === "Report" ? ACTIONS.Report[readReportType(request.headers)] : ACTIONS[action];
}

/** Every device message: identity first (401), then the action (400), then its handler. */
export async function handleDeviceMessage(request: DeviceRequest): Promise<DeviceResponse> {
  try {
    if (request.method !== "POST") {
      return errorResponse(new AppError("METHOD_NOT_ALLOWED", `Device messages are POSTed; got ${request.method}.`), { allow: "POST" });
    }
    const { deviceUuid, auth } = readCredentials(request.headers);
    const now = new Date();
    const device = await authenticateDevice(deviceUuid, auth, { isPoll: isPoll(request), now });
    const handler = resolveHandler(request);
    // Any message may carry the client version: synchronize it before handling the message.
    await syncClientVersion(device.id, device.clientVersion, readClientVersion(request.headers), now);
    const response = await handler({ request, device, now });
    // A token issued with this poll (enrollment, rotation) goes back in the header the device stores.
    return device.issuedToken && response.status === 200 ? { ...response, headers: { ...response.headers, "X-Device-Auth": device.issuedToken } } : response;
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * The device endpoint: one table from X-Device-Action (and, for reports, X-Device-ReportType)
 * to the module that handles that message. Every request takes the same steps, so a message
 * refused for what it says changes nothing:
 *
 *   identity (read only: 401) → action (400) → content type (415) → parse (400) →
 *   identity's writes (token confirmed, device enrolled, token issued) and the reported client
 *   version → the action's service and response.
 *
 * A poll from a device in good standing takes a shortcut with the same outcome: one statement
 * that authenticates and records it (the action's `fast`), tried only once the message parses.
 *
 * Handlers take and return plain requests and responses, so the Next route and the lean device
 * server mount exactly this.
 */
import { readAction, readClientVersion, readCredentials, readReportType, type DeviceAction, type ReportType } from "@/lib/device-protocol/headers";
import { commitIdentity, identifyDevice } from "@/lib/devices/authenticate-device";
import { syncClientVersion } from "@/lib/devices/client-version";
import { AppError } from "@/lib/errors";
import type { Action } from "./action";
import { instructionRequestAction } from "./actions/instructions";
import { locationRequestAction } from "./actions/location";
import { pollAction } from "./actions/poll";
import { fileCollectionAction, machineInventoryAction, softwareInventoryAction } from "./actions/reports";
import { statusAction } from "./actions/status";
import { checkContentType } from "./content-type";
import { errorResponse } from "./responses";
import type { DeviceRequest, DeviceResponse } from "./types";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action has its own parsed type
type AnyAction = Action<any>;

const ACTIONS: { [A in Exclude<DeviceAction, "Report">]: AnyAction } & { Report: { [R in ReportType]: AnyAction } } = {
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

function resolveAction(request: DeviceRequest): AnyAction {
  const action = readAction(request.headers);
  return action === "Report" ? ACTIONS.Report[readReportType(request.headers)] : ACTIONS[action];
}

/**
 * The hot path of an action that has one (the poll): taken only when the message is well
 * formed and the device in good standing. Anything else returns null here and goes the general
 * way, which orders the refusals (401 before 400) and writes nothing for a refused message.
 */
async function tryFastPath(request: DeviceRequest, deviceUuid: string, auth: string, now: Date): Promise<DeviceResponse | null> {
  let action: AnyAction;
  let parsed: unknown;
  let clientVersion: string | null;
  try {
    action = resolveAction(request);
    if (!action.fast) return null;
    checkContentType(request.headers, false);
    clientVersion = readClientVersion(request.headers);
    parsed = action.parse(request);
  } catch {
    return null;
  }
  // Any failure here (the database away, say) is the general path's to report, in its order.
  return action.fast({ request, deviceUuid, auth, clientVersion, now }, parsed).catch(() => null);
}

export async function handleDeviceMessage(request: DeviceRequest): Promise<DeviceResponse> {
  try {
    if (request.method !== "POST") {
      return errorResponse(new AppError("METHOD_NOT_ALLOWED", `Device messages are POSTed; got ${request.method}.`), { allow: "POST" });
    }
    const now = new Date();
    const { deviceUuid, auth } = readCredentials(request.headers);
    const fast = await tryFastPath(request, deviceUuid, auth, now);
    if (fast) return fast;
    const identity = await identifyDevice(deviceUuid, auth, { isPoll: isPoll(request), now });
    const action = resolveAction(request);
    checkContentType(request.headers, action === fileCollectionAction);
    const clientVersion = readClientVersion(request.headers);
    const parsed = action.parse(request);

    const device = await commitIdentity(identity, now);
    // Any message may carry the client version: synchronize it before handling the message.
    await syncClientVersion(device.id, device.clientVersion, clientVersion, now);
    const response = await action.run({ request, device, now }, parsed);
    // A token issued with this poll (enrollment, rotation) goes back in the header the device stores.
    return device.issuedToken && response.status === 200 ? { ...response, headers: { ...response.headers, "X-Device-Auth": device.issuedToken } } : response;
  } catch (error) {
    return errorResponse(error);
  }
}

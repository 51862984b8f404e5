import type { AuthenticatedDevice } from "@/lib/devices/authenticate-device";
import type { DeviceRequest, DeviceResponse } from "./types";

export type ActionContext = { request: DeviceRequest; device: AuthenticatedDevice; now: Date };

/**
 * One device message: `parse` reads the request (pure: decoding, XML, headers; a bad message
 * throws its 4xx here, before anything is written), `run` calls the service and builds the
 * response.
 */
export type Action<Parsed> = {
  parse(request: DeviceRequest): Parsed;
  run(ctx: ActionContext, parsed: Parsed): Promise<DeviceResponse>;
  /**
   * An optional hot path for a well-formed message from a device in good standing: identity
   * and the action in one statement. Returns null when the message needs the general path.
   */
  fast?(ctx: FastContext, parsed: Parsed): Promise<DeviceResponse | null>;
};

export type FastContext = { request: DeviceRequest; deviceUuid: string; auth: string; clientVersion: string | null; now: Date };

export function defineAction<Parsed>(action: Action<Parsed>): Action<Parsed> {
  return action;
}

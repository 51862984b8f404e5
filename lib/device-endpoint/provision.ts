/**
 * The CE .NET-era registration call, `GET /provision/?deviceid=<id>` (protocol §3, §5.11): the
 * Control Panel sends the device's identifier before its first poll. Method and answer are not
 * documented beyond "a compatible server should accept it and answer 200 OK", so it is
 * acknowledged and logged; identity and enrollment happen on the poll (X-Device-Auth).
 */
import { AppError } from "@/lib/errors";
import { errorResponse, textResponse } from "./responses";
import type { DeviceRequest, DeviceResponse } from "./types";

export async function handleProvision(request: DeviceRequest): Promise<DeviceResponse> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return errorResponse(new AppError("METHOD_NOT_ALLOWED", `The registration call is a GET; got ${request.method}.`), { allow: "GET, HEAD" });
  }
  const deviceId = request.query.deviceid?.trim() ?? "";
  if (!/^[\w{}.:-]{1,200}$/.test(deviceId)) {
    return errorResponse(new AppError("INVALID_MESSAGE", "Expected ?deviceid=<device identifier>."));
  }
  console.log(`provision: registration call from device ${deviceId} (${request.remoteAddress ?? "unknown address"})`);
  return textResponse(200, "OK", "OK\n");
}

/**
 * The device management point: every CE device message is a POST here, told apart only by
 * X-Device-Action (protocol §2.1). This is where device data enters the system.
 */
import { deviceHeaderRecord, readAction, readClientVersion, readCredentials } from "@/lib/device-protocol/headers";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { authenticateDevice } from "@/lib/devices/authenticate-device";
import { AppError } from "@/lib/errors";
import { deviceEndpoint, okResponse, readBody } from "@/lib/http/device-endpoint";
import { applyStatusReport } from "@/lib/installation-jobs/apply-status-report";

export const dynamic = "force-dynamic";

export const POST = deviceEndpoint(async (request) => {
  const { deviceUuid, auth } = readCredentials(request.headers);
  const device = await authenticateDevice(deviceUuid, auth);
  const action = readAction(request.headers);
  const body = await readBody(request);

  switch (action) {
    case "Status": {
      const report = parseStatusReport(body);
      await applyStatusReport({
        deviceId: device.id,
        report,
        rawBody: body,
        headers: deviceHeaderRecord(request.headers),
        clientVersion: readClientVersion(request.headers),
        now: new Date(),
      });
      return okResponse();
    }
    case "Poll":
    case "InstructionRequest":
    case "LocationRequest":
    case "Report":
      throw new AppError("NOT_IMPLEMENTED", `X-Device-Action "${action}" is not implemented yet.`);
  }
});

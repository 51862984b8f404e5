/** X-Device-Action: Poll — the device's hourly poll (protocol §5.1) and its response (§5.2). */
import { formatCursor } from "@/lib/device-protocol/formats";
import { singleHeader } from "@/lib/device-protocol/headers";
import { buildPollResponse, parsePoll } from "@/lib/device-protocol/poll";
import { decodeXmlBody } from "@/lib/device-protocol/xml";
import { rotateTokensBefore } from "@/lib/devices/authenticate-device";
import { serverOptions } from "@/lib/settings/server-options";
import { hashDeviceToken } from "@/lib/devices/credentials";
import { recordAuthenticatedPoll, recordPoll, type PollResult } from "@/lib/devices/record-poll";
import type { DeviceRequest, DeviceResponse } from "../types";
import { pollServerName, publicBaseUrl } from "@/lib/downloads/public-url";
import { AppError } from "@/lib/errors";
import { defineAction } from "../action";
import { xmlResponse } from "../responses";

export const pollAction = defineAction({
  parse(request) {
    const poll = parsePoll(decodeXmlBody(request.body));
    const bodyId = poll.identification.id;
    const headerId = singleHeader(request.headers, "X-Device-UUID") ?? "";
    if (bodyId !== null && bodyId.toUpperCase() !== headerId.toUpperCase()) {
      throw new AppError("INVALID_MESSAGE", "Identification/ID does not match the X-Device-UUID header.");
    }
    return poll;
  },
  async run({ request, device, now }, poll) {
    // The server-owned cursor the device stores and echoes: the time of this successful poll.
    const cursor = formatCursor(now);
    return pollResponse(request, await recordPoll(device.id, poll, cursor, now), cursor);
  },
  async fast({ request, deviceUuid, auth, clientVersion, now }, poll) {
    const cursor = formatCursor(now);
    const result = await recordAuthenticatedPoll({ deviceUuid, tokenHash: hashDeviceToken(auth), clientVersion, rotateBefore: rotateTokensBefore(now, await serverOptions()) }, poll, cursor, now);
    return result && pollResponse(request, result, cursor);
  },
});

function pollResponse(request: DeviceRequest, { packageIds, settings }: PollResult, cursor: string): DeviceResponse {
  const xml = buildPollResponse({
      clientSettings: {
        pollServer: pollServerName(publicBaseUrl(request.origin)),
        pollIntervalSeconds: settings.pollIntervalSeconds,
        failureRetryCount: settings.failureRetryCount,
        failureRetryIntervalSeconds: settings.failureRetryIntervalSeconds,
      },
      softwareInventory: settings.softwareInventory,
      fileCollection: settings.fileCollection,
      machineInventory: settings.machineInventory,
      packageIds,
    });
  return xmlResponse(xml, { "X-Device-Timestamp": cursor });
}

/** X-Device-Action: Poll — the device's hourly poll (protocol §5.1) and its response (§5.2). */
import { formatCursor } from "@/lib/device-protocol/formats";
import { buildPollResponse, parsePoll } from "@/lib/device-protocol/poll";
import { decodeXmlBody } from "@/lib/device-protocol/xml";
import { recordPoll } from "@/lib/devices/record-poll";
import { pollServerName, publicBaseUrl } from "@/lib/downloads/public-url";
import { AppError } from "@/lib/errors";
import { defineAction } from "../action";
import { xmlResponse } from "../responses";

export const pollAction = defineAction({
  parse(request) {
    const poll = parsePoll(decodeXmlBody(request.body));
    const bodyId = poll.identification.id;
    const headerId = request.headers["x-device-uuid"]?.[0]?.trim() ?? "";
    if (bodyId !== null && bodyId.toUpperCase() !== headerId.toUpperCase()) {
      throw new AppError("INVALID_MESSAGE", "Identification/ID does not match the X-Device-UUID header.");
    }
    return poll;
  },
  async run({ request, device, now }, poll) {
    // The server-owned cursor the device stores and echoes: the time of this successful poll.
    const cursor = formatCursor(now);
    const { packageIds, settings } = await recordPoll(device.id, poll, cursor, now);
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
  },
});

/** X-Device-Action: Status — download event status reports (protocol §5.7). */
import { deviceHeaderRecord } from "@/lib/device-protocol/headers";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { decodeXmlBody } from "@/lib/device-protocol/xml";
import { applyStatusReport } from "@/lib/installation-jobs/apply-status-report";
import { okResponse } from "../responses";
import type { ActionHandler } from "../registry";

export const statusAction: ActionHandler = async ({ request, device, now }) => {
  const rawBody = decodeXmlBody(request.body);
  const report = parseStatusReport(rawBody);
  await applyStatusReport({ deviceId: device.id, report, rawBody, headers: deviceHeaderRecord(request.headers), now });
  return okResponse();
};

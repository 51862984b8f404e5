/** X-Device-Action: Status — download event status reports (protocol §5.7). */
import { deviceHeaderRecord } from "@/lib/device-protocol/headers";
import { parseStatusReport } from "@/lib/device-protocol/status-report";
import { decodeXmlBody } from "@/lib/device-protocol/xml";
import { applyStatusReport } from "@/lib/installation-jobs/apply-status-report";
import { defineAction } from "../action";
import { okResponse } from "../responses";

export const statusAction = defineAction({
  parse(request) {
    const rawBody = decodeXmlBody(request.body);
    return { rawBody, report: parseStatusReport(rawBody), headers: deviceHeaderRecord(request.headers) };
  },
  async run({ device, now }, { rawBody, report, headers }) {
    await applyStatusReport({ deviceId: device.id, report, rawBody, headers, now });
    return okResponse();
  },
});

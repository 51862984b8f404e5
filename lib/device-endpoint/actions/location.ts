/** X-Device-Action: LocationRequest — where to download a package from (protocol §5.5/5.6). */
import { buildPackageLocation, parseLocationRequest } from "@/lib/device-protocol/location";
import { decodeXmlBody } from "@/lib/device-protocol/xml";
import { publicBaseUrl } from "@/lib/downloads/public-url";
import { serverOptions } from "@/lib/settings/server-options";
import { locationFor } from "@/lib/installation-jobs/package-requests";
import { defineAction } from "../action";
import { xmlResponse } from "../responses";

export const locationRequestAction = defineAction({
  parse: (request) => parseLocationRequest(decodeXmlBody(request.body)),
  async run({ request, device, now }, { packageId }) {
    const location = await locationFor(device.id, packageId, publicBaseUrl(request.origin), (await serverOptions()).linkLifetimeSeconds, now);
    return xmlResponse(buildPackageLocation(location.packageId, [{ metric: 1, url: location.url }]));
  },
});

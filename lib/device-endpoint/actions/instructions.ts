/** X-Device-Action: InstructionRequest — a package's download instructions (protocol §5.3/5.4). */
import { buildInstructions, parseInstructionsRequest } from "@/lib/device-protocol/instructions";
import { decodeXmlBody } from "@/lib/device-protocol/xml";
import { instructionsFor } from "@/lib/installation-jobs/package-requests";
import { defineAction } from "../action";
import { xmlResponse } from "../responses";

export const instructionRequestAction = defineAction({
  parse: (request) => parseInstructionsRequest(decodeXmlBody(request.body)),
  async run({ device, now }, { packageIds }) {
    return xmlResponse(buildInstructions(await instructionsFor(device.id, packageIds, now)));
  },
});

/** X-Device-Action: InstructionRequest — a package's download instructions (protocol §5.3/5.4). */
import { buildInstructions, parseInstructionsRequest } from "@/lib/device-protocol/instructions";
import { decodeXmlBody } from "@/lib/device-protocol/xml";
import { instructionsFor } from "@/lib/installation-jobs/package-requests";
import { xmlResponse } from "../responses";
import type { ActionHandler } from "../registry";

export const instructionRequestAction: ActionHandler = async ({ request, device, now }) => {
  const { packageIds } = parseInstructionsRequest(decodeXmlBody(request.body));
  return xmlResponse(buildInstructions(await instructionsFor(device.id, packageIds, now)));
};

/** POST /api/v1/devices: register a device → 201 with its token (shown once). */
import { jsonResponse } from "@/lib/api/errors";
import { apiRoute, readJson } from "@/lib/api/route";
import { registerDevice } from "@/lib/devices/manage-devices";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const POST = apiRoute({ device: ["write"] }, async ({ request, actor }) => {
  const device = await registerDevice(actor, await readJson(request, z.unknown()));
  return jsonResponse({ deviceUuid: device.deviceUuid, name: device.name, token: device.token }, 201);
});

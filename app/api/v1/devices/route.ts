/**
 * GET /api/v1/devices?…: the devices list's filters, sort and keyset pages, in the console's
 * own URL parameters (list-devices-params.ts), with `next` / `previous` cursors to pass back.
 * POST /api/v1/devices: register a device → 201 with its token (shown once).
 */
import { jsonResponse } from "@/lib/api/errors";
import { apiRoute, readJson } from "@/lib/api/route";
import { encodeCursor } from "@/lib/db/keyset";
import { listDevicesPage } from "@/lib/devices/list-devices";
import { deviceListParamsOrThrow } from "@/lib/devices/list-devices-params";
import { registerDevice } from "@/lib/devices/manage-devices";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const POST = apiRoute({ device: ["write"] }, async ({ request, actor }) => {
  const device = await registerDevice(actor, await readJson(request, z.unknown()));
  return jsonResponse({ deviceUuid: device.deviceUuid, name: device.name, token: device.token }, 201);
});

export const GET = apiRoute({ device: ["read"] }, async ({ request }) => {
  const page = await listDevicesPage(deviceListParamsOrThrow(new URL(request.url).searchParams));
  return {
    devices: page.rows.map(({ id: _id, ...row }) => row),
    total: page.total,
    next: page.next ? encodeCursor(page.next) : null,
    previous: page.previous ? encodeCursor(page.previous) : null,
  };
});

/** GET|PATCH|DELETE /api/v1/devices/{uuid}: one device, its changeable fields, its removal. */
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/route";
import { removeDevice, updateDevice } from "@/lib/devices/manage-devices";
import { getDeviceByUuid } from "@/lib/devices/queries";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

type Params = { deviceUuid: string };

async function deviceView(uuid: string) {
  const device = await getDeviceByUuid(uuid);
  if (!device) throw new AppError("NOT_FOUND", `No device ${uuid}.`);
  const { id: _internal, pollCursor: _cursor, ...view } = device;
  return view;
}

export const GET = apiRoute<Params>({ device: ["read"] }, async ({ params }) => deviceView(decodeURIComponent(params.deviceUuid)));

export const PATCH = apiRoute<Params>({ device: ["write"] }, async ({ request, actor, params }) => {
  const uuid = decodeURIComponent(params.deviceUuid);
  await updateDevice(actor, uuid, await readJson(request, z.unknown()));
  return deviceView(uuid);
});

export const DELETE = apiRoute<Params>({ device: ["write"] }, async ({ actor, params }) => {
  await removeDevice(actor, decodeURIComponent(params.deviceUuid));
  return new Response(null, { status: 204 });
});

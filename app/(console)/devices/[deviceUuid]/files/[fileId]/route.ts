/** Download of a file a device uploaded with a FileCollection report, streamed from the file store. */
import { requireActor } from "@/lib/auth/session";
import { getCollectedFile, getDeviceByUuid } from "@/lib/devices/queries";
import { storedFileResponse } from "@/lib/storage/file-response";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ deviceUuid: string; fileId: string }> };

export async function GET(_request: Request, { params }: Params): Promise<Response> {
  await requireActor({ device: ["read"] });
  const { deviceUuid, fileId } = await params;
  const device = await getDeviceByUuid(deviceUuid);
  const file = device && (await getCollectedFile(device.id, fileId));
  if (!file) return new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  // The device's path uses backslashes; the download is named after its last segment.
  const name = file.path.split(/[\\/]/).pop() || "collected-file";
  return storedFileResponse(file.storageKey, file.size, name);
}

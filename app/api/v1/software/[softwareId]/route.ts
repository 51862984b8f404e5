/** GET /api/v1/software/{id}: one entry with its instruction fields. PATCH: change fields (JSON). */
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { updateSoftware } from "@/lib/software/manage-software";
import { getSoftware } from "@/lib/software/queries";

export const dynamic = "force-dynamic";

type Params = { softwareId: string };

async function entry(id: string) {
  const found = await getSoftware(Number(id));
  if (!found) throw new AppError("NOT_FOUND", `No software ${id}.`);
  return found;
}

export const GET = apiRoute<Params>({ software: ["read"] }, async ({ params }) => entry(params.softwareId));

export const PATCH = apiRoute<Params>({ software: ["write"] }, async ({ request, actor, params }) => {
  await entry(params.softwareId);
  await updateSoftware(actor, Number(params.softwareId), await readJson(request, z.unknown()));
  return entry(params.softwareId);
});

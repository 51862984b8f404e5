/** Download of a library entry's stored package file. */
import { requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { softwareFileResponse } from "@/lib/software/software-file-response";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ softwareId: string }> }): Promise<Response> {
  await requireActor({ software: ["read"] });
  try {
    return await softwareFileResponse(Number((await params).softwareId));
  } catch (error) {
    if (isAppError(error, "NOT_FOUND")) return new Response("Not Found: this entry has no stored file.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
    throw error;
  }
}

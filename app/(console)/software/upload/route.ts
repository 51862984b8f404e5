/**
 * The upload form's target (components/software/upload-form.tsx posts here with XHR, for a
 * progress bar). A route handler, not a server action: actions hold the whole body in memory.
 * Answers JSON in the API's envelope, so the form shows refusals beside their fields.
 */
import { errorResponse, jsonResponse, unexpectedErrorResponse } from "@/lib/api/errors";
import { actorFromHeaders } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { nodeBody } from "@/lib/software/software-file-response";
import { createSoftwareFromUpload } from "@/lib/software/upload-software";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  try {
    // The session cookie is SameSite=Lax, so another site's script cannot send it here;
    // a mismatching Origin is refused as well, for browsers that send one.
    const origin = request.headers.get("origin");
    if (origin && new URL(origin).host !== request.headers.get("host")) throw new AppError("FORBIDDEN", "Uploads come from the console's own pages.");
    const actor = await actorFromHeaders(request.headers);
    if (!actor) return errorResponse(new AppError("UNAUTHENTICATED", "Your session ended: sign in again."));
    const created = await createSoftwareFromUpload(actor, nodeBody(request), request.headers.get("content-type"));
    return jsonResponse(created, 201);
  } catch (error) {
    return unexpectedErrorResponse(error);
  }
}

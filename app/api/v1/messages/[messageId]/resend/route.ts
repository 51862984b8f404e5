/**
 * POST /api/v1/messages/{id}/resend: a new message replaces it (a push job's link with a fresh
 * ticket, or the device's bootstrap while it is under way); 201 with the new message, whose
 * `replaces` names this one. 409 when the message's job or device no longer calls for it.
 */
import { jsonResponse } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/route";
import { messageDetailJson } from "@/lib/delivery/message-json";
import { getMessage } from "@/lib/delivery/queries";
import { resendMessage } from "@/lib/delivery/resend";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ messageId: string }>({ job: ["write"] }, async ({ request, actor, params }) => {
  const id = await resendMessage(actor, params.messageId, new URL(request.url).origin);
  return jsonResponse({ ...messageDetailJson((await getMessage(id))!), replaces: params.messageId }, 201);
});

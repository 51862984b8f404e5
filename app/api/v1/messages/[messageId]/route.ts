/** GET /api/v1/messages/{id}: one message with its events, oldest first, and whether it can be sent again. */
import { apiRoute } from "@/lib/api/route";
import { messageDetailJson } from "@/lib/delivery/message-json";
import { getMessage } from "@/lib/delivery/queries";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ messageId: string }>({ job: ["read"] }, async ({ params }) => {
  const message = await getMessage(params.messageId);
  if (!message) throw new AppError("NOT_FOUND", `There is no message ${params.messageId}.`);
  return messageDetailJson(message);
});

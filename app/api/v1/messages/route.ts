/**
 * GET /api/v1/messages?kind=&state=&q=&job=&device=&dir=&cursor=&limit= → one page of the Outbox,
 * newest first, and the cursors of the pages around it (the /outbox page's parameters).
 */
import { apiRoute } from "@/lib/api/route";
import { encodeCursor } from "@/lib/db/keyset";
import { listMessagesPage } from "@/lib/delivery/list-messages";
import { messageListParamsOrThrow } from "@/lib/delivery/list-messages-params";
import { messageListRowJson } from "@/lib/delivery/message-json";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ job: ["read"] }, async ({ request }) => {
  const page = await listMessagesPage(messageListParamsOrThrow(new URL(request.url).searchParams));
  return { messages: page.rows.map(messageListRowJson), next: page.next && encodeCursor(page.next), previous: page.previous && encodeCursor(page.previous) };
});

/**
 * /api/delivery/reports/<message id>?t=<token>… — where the gateway reports what became of a
 * message (lib/delivery/delivery-reports.ts): Kannel calls it with GET for each DLR (the URL
 * and its escapes come from dlrCallbackUrl), a PPG that sends PAP result notifications POSTs
 * them. No session: the per-message token is the credential.
 */
import { publicApiRoute } from "@/lib/api/route";
import { acceptDlr, acceptResultNotification } from "@/lib/delivery/delivery-reports";
import { resultNotificationResponse } from "@/lib/delivery/kannel/pap";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

type Params = { messageId: string };

export const GET = publicApiRoute<Params>(async ({ request, params }) => {
  const state = await acceptDlr(params.messageId, new URL(request.url).searchParams);
  return new Response(`OK ${state}\n`, { headers: { "content-type": "text/plain; charset=utf-8" } });
});

const MAX_NOTIFICATION_BYTES = 64 * 1024;

export const POST = publicApiRoute<Params>(async ({ request, params }) => {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_NOTIFICATION_BYTES) throw new AppError("BODY_TOO_LARGE", `A result notification is at most ${MAX_NOTIFICATION_BYTES} bytes.`);
  const xml = await request.text();
  if (Buffer.byteLength(xml) > MAX_NOTIFICATION_BYTES) throw new AppError("BODY_TOO_LARGE", `A result notification is at most ${MAX_NOTIFICATION_BYTES} bytes.`);
  const pushId = await acceptResultNotification(params.messageId, new URL(request.url).searchParams.get("t") ?? "", xml);
  return new Response(resultNotificationResponse(pushId), { headers: { "content-type": "application/xml" } });
});

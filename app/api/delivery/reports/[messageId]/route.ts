/**
 * /api/delivery/reports/<message id>?t=<token>… — where the gateway reports what became of a
 * message (lib/delivery/delivery-reports.ts): Kannel calls it with GET for each DLR (the URL
 * and its escapes come from dlrCallbackUrl), a PPG that sends PAP result notifications POSTs
 * them. No session: the per-message token is the credential.
 */
import { publicApiRoute } from "@/lib/api/route";
import { acceptDlr, acceptResultNotification, checkReportToken } from "@/lib/delivery/delivery-reports";
import { resultNotificationResponse } from "@/lib/delivery/kannel/pap";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

type Params = { messageId: string };

export const GET = publicApiRoute<Params>(async ({ request, params }) => {
  const state = await acceptDlr(params.messageId, new URL(request.url).searchParams);
  return new Response(`OK ${state}\n`, { headers: { "content-type": "text/plain; charset=utf-8" } });
});

const MAX_NOTIFICATION_BYTES = 64 * 1024;

/** The body, read only up to the limit (a chunked body has no Content-Length to refuse early). */
async function limitedText(request: Request): Promise<string> {
  const tooLarge = () => new AppError("BODY_TOO_LARGE", `A result notification is at most ${MAX_NOTIFICATION_BYTES} bytes.`);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_NOTIFICATION_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (;;) {
    const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
    if (chunk.done) break;
    size += chunk.value.length;
    if (size > MAX_NOTIFICATION_BYTES) {
      await reader!.cancel();
      throw tooLarge();
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export const POST = publicApiRoute<Params>(async ({ request, params }) => {
  const token = new URL(request.url).searchParams.get("t") ?? "";
  await checkReportToken(params.messageId, token);
  const pushId = await acceptResultNotification(params.messageId, token, await limitedText(request));
  return new Response(resultNotificationResponse(pushId), { headers: { "content-type": "application/xml" } });
});

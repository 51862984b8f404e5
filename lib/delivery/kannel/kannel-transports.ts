/**
 * The transports through Kannel (kannel.md): the pure parts build and read the requests
 * (sendsms.ts, pap.ts, ../wap/), these send them.
 *
 * - SMS push: sendsms with the text, a delivery-report URL and mask 31 (every report).
 * - WAP push: a PAP push-message to the PPG, which compiles the SI itself; always
 *   `delivery-method="unconfirmed"` (Kannel 1.4.5 delivers nothing for confirmed pushes and
 *   never sends result notifications), so the DLR headers are its only delivery evidence. The
 *   request carries only Host, Content-Type and Content-Length: the PPG copies a push
 *   initiator's other headers into the WSP headers, costing bytes of the SMS.
 * - WAP push without a PPG, and the bootstrap: the WSP push PDU built here, as a binary SMS
 *   through sendsms (the "raw route": it keeps DLRs, which Kannel's sendota does not).
 */
import http from "node:http";
import https from "node:https";
import { isAppError } from "@/lib/errors";
import { bootstrapPayload, linkContent, serviceIndication } from "../message-payload";
import type { SendContext, SendResult, Transport } from "../transport";
import { encodeSi, siXml } from "../wap/si";
import { SI_PUSH_UDH, wspPush } from "../wap/wsp";
import { papOutcome, papPushRequest, parsePapResponse } from "./pap";
import { DLR_MASK_ALL, parseSendsmsAnswer, sendsmsUrl, type SendsmsMessage } from "./sendsms";

type Response = { status: number; body: string };

/** One HTTP exchange with only the headers given (fetch would add its own: see the PPG note above). */
function request(url: string, init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: Buffer; signal: AbortSignal }): Promise<Response> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    const req = client.request(target, { method: init.method, headers: { ...init.headers, ...(init.body ? { "content-length": String(init.body.length) } : {}) }, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        // A gateway's answer is a line or a small XML document; more is not worth keeping.
        if ((size += chunk.length) <= 64 * 1024) chunks.push(chunk);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

async function viaSendsms(baseUrl: string, msg: SendsmsMessage, ctx: SendContext): Promise<SendResult> {
  const url = sendsmsUrl(baseUrl, msg, { url: ctx.reportUrl, mask: DLR_MASK_ALL });
  const res = await request(url, { method: "GET", signal: ctx.signal });
  const answer = parseSendsmsAnswer(res.status, res.body);
  return { outcome: answer.outcome, answer: answer.detail };
}

export function sendsmsTextTransport(baseUrl: string, sender: string | null): Transport {
  return {
    name: "kannel-sendsms",
    send: (message, ctx) => viaSendsms(baseUrl, { ...(sender ? { from: sender } : {}), to: message.recipient, text: linkContent(message).text }, ctx),
  };
}

/** A WAP push as a binary SMS: WSP push header (TID, Push, application/vnd.wap.sic) + the SI's WBXML. */
export function sendsmsSiTransport(baseUrl: string, sender: string | null): Transport {
  return {
    name: "kannel-sendsms",
    send: (message, ctx) => {
      const data = wspPush({ contentType: "application/vnd.wap.sic", body: encodeSi(serviceIndication(message)) });
      return viaSendsms(baseUrl, { ...(sender ? { from: sender } : {}), to: message.recipient, udh: SI_PUSH_UDH, data }, ctx);
    },
  };
}

export function ppgTransport(ppgUrl: string, sender: string | null): Transport {
  return {
    name: "kannel-ppg",
    async send(message, ctx) {
      const pushId = `deploydesk-${message.id}-${message.attempt}@deploydesk`;
      const pap = papPushRequest({ pushId, recipient: message.recipient, content: { contentType: "text/vnd.wap.si", body: siXml(serviceIndication(message)) } });
      const res = await request(ppgUrl, {
        method: "POST",
        headers: {
          "content-type": pap.contentType,
          "x-kannel-dlr-url": ctx.reportUrl,
          "x-kannel-dlr-mask": String(DLR_MASK_ALL),
          ...(sender ? { "x-kannel-from": sender } : {}),
        },
        body: pap.body,
        signal: ctx.signal,
      });
      // 401: wrong push user (and after ~3 of those the PPG locks the address out for a while).
      if (res.status === 401) return { outcome: "rejected", answer: "HTTP 401: the PPG refused the push user (check DEPLOYDESK_KANNEL_PPG_URL)" };
      if (res.status >= 500 || res.status === 0) return { outcome: "retry", answer: `HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ""}` };
      let pap2: ReturnType<typeof parsePapResponse>;
      try {
        pap2 = parsePapResponse(res.body);
      } catch (error) {
        if (isAppError(error)) return { outcome: res.status >= 400 ? "rejected" : "retry", answer: `HTTP ${res.status}: not a PAP answer (${res.body.slice(0, 120)})` };
        throw error;
      }
      const answer = `PAP ${pap2.code}${pap2.desc ? ` ${pap2.desc}` : ""}`;
      const outcome = papOutcome(pap2.code);
      return outcome === "accepted" ? { outcome, answer, gatewayRef: pushId } : { outcome, answer };
    },
  };
}

export function sendsmsBootstrapTransport(baseUrl: string, sender: string | null): Transport {
  return {
    name: "kannel-sendsms",
    async send(message, ctx) {
      const push = await bootstrapPayload(message);
      return viaSendsms(baseUrl, { ...(sender ? { from: sender } : {}), to: message.recipient, udh: push.udh, data: push.payload }, ctx);
    },
  };
}

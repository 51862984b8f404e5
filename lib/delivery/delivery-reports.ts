/**
 * Delivery reports coming back from the gateway, for the report route (thin over this):
 * Kannel's DLR callbacks (a GET with the escapes dlrCallbackUrl asked for) and PAP result
 * notifications (a POSTed resultnotification-message, from a PPG that sends them; Kannel 1.4.5
 * does not). Each is checked against the message's own token, then recorded by the outbox
 * writer, which moves the message (and its job, when it has just failed).
 */
import { AppError } from "@/lib/errors";
import { serverSecret } from "@/lib/settings/server-secret";
import { parseResultNotification, type MessageState as PapMessageState } from "./kannel/pap";
import { parseDlr } from "./kannel/sendsms";
import type { DeliveryReportMeaning, MessageState } from "./message-state";
import { recordReport } from "./outbox";
import { isReportToken, reportAttempt } from "./report-url";

const MEANING_TEXT: Record<DeliveryReportMeaning, string> = {
  delivered: "delivered to the phone",
  failed: "not delivered",
  buffered: "buffered by the SMS centre (the phone is unreachable for now)",
  "smsc-accepted": "accepted by the SMS centre",
  "smsc-rejected": "rejected by the SMS centre",
  unknown: "a report of a kind Kannel does not define",
};

async function checkToken(messageId: string, token: string): Promise<void> {
  if (!/^\d{1,18}$/.test(messageId)) throw new AppError("NOT_FOUND", "No such message.");
  if (!isReportToken(await serverSecret(), messageId, token)) throw new AppError("FORBIDDEN", "This report's token does not belong to the message.");
}

/** A Kannel DLR callback; returns the message's state after it. */
export async function acceptDlr(messageId: string, query: URLSearchParams, now = new Date()): Promise<MessageState> {
  const report = parseDlr(query);
  await checkToken(messageId, report.token);
  const parts = [`DLR ${report.status}: ${MEANING_TEXT[report.meaning]}`, report.answer && `answer "${report.answer.slice(0, 200)}"`, report.smscId && `SMSC ${report.smscId.slice(0, 40)}`, report.foreignId && `id ${report.foreignId.slice(0, 80)}`];
  const state = await recordReport(messageId, { meaning: report.meaning, detail: parts.filter(Boolean).join(", ") }, now, reportAttempt(query));
  if (state === null) throw new AppError("NOT_FOUND", "No such message.");
  return state;
}

const PAP_MEANING: Record<PapMessageState, DeliveryReportMeaning> = {
  delivered: "delivered",
  undeliverable: "failed",
  expired: "failed",
  aborted: "failed",
  timeout: "failed",
  cancelled: "failed",
  rejected: "failed",
  pending: "buffered",
  unknown: "unknown",
};

/** A PAP resultnotification-message; returns the push id it answered, for the response. */
/** Checks a report's token before its body is read (the route reads no body for a stranger). */
export async function checkReportToken(messageId: string, token: string): Promise<void> {
  await checkToken(messageId, token);
}

export async function acceptResultNotification(messageId: string, token: string, xml: string, now = new Date()): Promise<string> {
  await checkToken(messageId, token);
  const n = parseResultNotification(xml);
  const detail = `PAP result ${n.code}: ${n.messageState}${n.desc ? ` (${n.desc.slice(0, 200)})` : ""}, push ${n.pushId}`;
  if ((await recordReport(messageId, { meaning: PAP_MEANING[n.messageState], detail }, now)) === null) throw new AppError("NOT_FOUND", "No such message.");
  return n.pushId;
}

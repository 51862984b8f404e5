/**
 * What the phone would get, decoded from the very bytes a transport sends (message-payload.ts):
 * the SMS text with its coding and length, the Service Indication's fields, the bootstrap's
 * OMA CP document with its security parameters. Shown on the Outbox's message page, which is
 * how the development outbox shows a message it kept; secrets (passwords, nonces) are masked.
 */
import { textEncoding } from "./kannel/sendsms";
import { bootstrapPayload, linkContent, serviceIndication, type PayloadMessage } from "./message-payload";
import { decodeProvisioningDoc, type Characteristic } from "./wap/provisioning";
import { decodeSi, encodeSi } from "./wap/si";
import { decodeWspPush, wspPush } from "./wap/wsp";

export type PreviewRow = { key: string; value: string };
export type MessagePreview = { title: string; rows: PreviewRow[] };

const SECRET_PARMS = new Set(["AAUTHSECRET", "AAUTHDATA"]);
const SEC_NAMES = ["NETWPIN", "USERPIN", "USERNETWPIN", "USERPINMAC"];

function characteristicRows(list: Characteristic[], prefix = ""): PreviewRow[] {
  return list.flatMap((c, i) => {
    const path = `${prefix}${c.type}${list.filter((o) => o.type === c.type).length > 1 ? `[${i}]` : ""}`;
    const parms = Object.entries(c.parms).map(([name, value]) => ({ key: `${path}.${name}`, value: SECRET_PARMS.has(name) ? "•••••• (derived from the server secret)" : value || "(set)" }));
    return [...parms, ...characteristicRows(c.children, `${path}.`)];
  });
}

export async function messagePreview(kind: string, message: PayloadMessage): Promise<MessagePreview | null> {
  try {
    if (kind === "SMS_PUSH") {
      const { text } = linkContent(message);
      const { coding, segments } = textEncoding(text);
      return { title: "The SMS", rows: [{ key: "text", value: text }, { key: "coding", value: `${coding === "gsm7" ? "GSM 7-bit" : "UCS-2"}, ${segments} SMS` }] };
    }
    if (kind === "WAP_PUSH") {
      const bytes = wspPush({ contentType: "application/vnd.wap.sic", body: encodeSi(serviceIndication(message)) });
      const si = decodeSi(decodeWspPush(bytes).body);
      const rows: PreviewRow[] = [
        { key: "href", value: si.href },
        { key: "text", value: si.text },
        { key: "si-id", value: si.siId ?? "" },
        { key: "si-expires", value: si.expires?.toISOString() ?? "(none)" },
        { key: "action", value: si.action ?? "signal-medium" },
        { key: "size", value: `${bytes.length} bytes (WSP push + SI WBXML)` },
      ];
      return { title: "The Service Indication (decoded from its WBXML)", rows };
    }
    if (kind === "BOOTSTRAP") {
      const push = await bootstrapPayload(message);
      const wsp = decodeWspPush(push.payload);
      const doc = decodeProvisioningDoc(wsp.body);
      const rows: PreviewRow[] = [
        { key: "content type", value: String(wsp.contentType) },
        { key: "SEC", value: (typeof wsp.params.sec === "number" ? SEC_NAMES[wsp.params.sec] : undefined) ?? String(wsp.params.sec) },
        { key: "MAC", value: String(wsp.params.mac ?? "") },
        ...(push.userCode ? [{ key: "code for the user", value: push.userCode }] : []),
        ...characteristicRows(doc.characteristics),
        { key: "size", value: `${push.payload.length} bytes (WSP push + OMA CP WBXML)` },
      ];
      return { title: "The OMA CP bootstrap (decoded from its WBXML)", rows };
    }
  } catch (error) {
    return { title: "What the device would get", rows: [{ key: "cannot be built", value: (error as Error).message }] };
  }
  return null;
}

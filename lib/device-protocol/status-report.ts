/**
 * Download event status reports (protocol §5.7): `<Status>` with zero or more
 * `<StatusMessage packageID messageID timestamp>` each holding `<Parameter name>` values.
 * Attribute and parameter values are kept exactly as strings; interpretation happens in the
 * installation-jobs slice.
 */
import { AppError } from "@/lib/errors";
import { attribute, checkNamespace, childrenOf, parseXmlDocument, textOf } from "./xml";
import { attributes, escapeText } from "./xml-build";

export type ReportParameter = { name: string; value: string };

export type StatusMessage = {
  packageId: string;
  messageId: string;
  /** The timestamp attribute as sent, or null when absent. */
  timestamp: string | null;
  parameters: ReportParameter[];
};

export type StatusReport = { namespace: string | null; messages: StatusMessage[] };

/** The four documented message IDs and their meanings, worded as in the manual. */
// A Map, not an object literal: a device may send messageID="constructor".
export const STATUS_MESSAGE_MEANINGS: ReadonlyMap<string, string> = new Map([
  ["11030", "Starting package download"],
  ["11031", "Package download successful"],
  ["11032", "Package download unsuccessful"],
  ["11035", "Execution successful"],
]);

export function messageMeaning(messageId: string): string {
  return STATUS_MESSAGE_MEANINGS.get(messageId.trim()) ?? `Unknown message ID ${messageId}`;
}

/** A CE client sends one to three messages per document; this bound keeps one transaction short. */
export const MAX_STATUS_MESSAGES = 1000;

export function parseStatusReport(body: string): StatusReport {
  const { rootName, root, namespace } = parseXmlDocument(body);
  if (rootName !== "Status") {
    throw new AppError("WRONG_ROOT", `Expected a <Status> document for X-Device-Action: Status, got <${rootName}>.`);
  }
  checkNamespace(namespace, rootName);

  const elements = childrenOf(root, "StatusMessage");
  if (elements.length > MAX_STATUS_MESSAGES) {
    throw new AppError("TOO_MANY_MESSAGES", `A status document may hold at most ${MAX_STATUS_MESSAGES} StatusMessage elements; got ${elements.length}.`);
  }
  const messages = elements.map((element, index): StatusMessage => {
    const where = `StatusMessage ${index + 1}`;
    const packageId = attribute(element, "packageID")?.trim();
    if (!packageId) throw new AppError("INVALID_MESSAGE", `${where} has no packageID attribute.`);
    const messageId = attribute(element, "messageID")?.trim();
    if (!messageId) throw new AppError("INVALID_MESSAGE", `${where} has no messageID attribute.`);
    const parameters = childrenOf(element, "Parameter").map((p, i) => {
      const name = attribute(p, "name");
      if (name === null) throw new AppError("INVALID_MESSAGE", `${where}, Parameter ${i + 1} has no name attribute.`);
      return { name, value: textOf(p) };
    });
    return { packageId, messageId, timestamp: attribute(element, "timestamp"), parameters };
  });
  return { namespace, messages };
}

export function returnCodeOf(message: StatusMessage): string | null {
  return message.parameters.find((p) => p.name.trim().toLowerCase() === "return code")?.value ?? null;
}

/**
 * A well-formed `<Status>` document, as a CE client sends it (for the demo seed and tests; the
 * fleet simulator writes its own, from the protocol doc).
 */
export function buildStatusDocument(messages: StatusMessage[], namespace: string = "http://www.microsoft.com/DeviceManagement.xsd"): string {
  const body = messages
    .map((m) => {
      const attrs = attributes({ packageID: m.packageId, messageID: m.messageId, ...(m.timestamp !== null ? { timestamp: m.timestamp } : {}) });
      const params = m.parameters.map((p) => `<Parameter${attributes({ name: p.name })}>${escapeText(p.value)}</Parameter>`).join("");
      return `  <StatusMessage${attrs}>${params}</StatusMessage>\n`;
    })
    .join("");
  return `<?xml version="1.0" encoding="utf-8" ?>\n<Status${attributes({ xmlns: namespace })}>\n${body}</Status>`;
}

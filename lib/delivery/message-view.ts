/**
 * PURE: a message as people read it, in the Outbox, on the job page and in the JSON API: its
 * kind's name, its state's label, the one line that says what it carries, and its content as
 * key/value pairs. The content is rendered generically (every key, nested ones dotted), so a
 * field a later message kind adds (a decoded OMA DM account in a bootstrap) shows up without a
 * change here.
 */
import type { OutboundKind } from "./delivery";
import { isMessageState, MESSAGE_STATE_INFO } from "./message-state";

export const OUTBOX_PATH = "/outbox";

/** A message's own page (client components link to it too: this module has no server imports). */
export function messageHref(id: string): string {
  return `${OUTBOX_PATH}/${encodeURIComponent(id)}`;
}

export const MESSAGE_KINDS = ["SMS_PUSH", "WAP_PUSH", "BOOTSTRAP"] as const satisfies readonly OutboundKind[];

export const MESSAGE_KIND_LABELS: { [K in OutboundKind]: string } = { SMS_PUSH: "SMS push", WAP_PUSH: "WAP push", BOOTSTRAP: "OMA DM bootstrap" };

export function messageKindLabel(kind: string): string {
  return Object.hasOwn(MESSAGE_KIND_LABELS, kind) ? MESSAGE_KIND_LABELS[kind as OutboundKind] : kind;
}

/** The state's label; a value no release knows (a newer writer's) is shown as stored rather than hidden. */
export function messageStateLabel(state: string): string {
  return isMessageState(state) ? MESSAGE_STATE_INFO[state].label : state;
}

/** The content fields a summary reads; the rest only the message page shows. */
export type ContentSummaryFields = { text?: unknown; title?: unknown; link?: unknown; server?: unknown };

/**
 * What the message says, in one line: an SMS its text (which carries the link), a WAP push its
 * Service Indication's text and the link it points at, a bootstrap the server it enrols into.
 */
export function messageSummary(kind: string, content: ContentSummaryFields): { text: string; link: string | null } {
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  switch (kind) {
    case "SMS_PUSH":
      return { text: str(content.text) ?? str(content.link) ?? "(no text)", link: null };
    case "WAP_PUSH":
      return { text: str(content.title) ?? str(content.text) ?? "(no text)", link: str(content.link) };
    case "BOOTSTRAP":
      return { text: `OMA DM bootstrap for ${str(content.server) ?? "(no server)"}`, link: null };
    default:
      return { text: str(content.text) ?? "", link: str(content.link) };
  }
}

export type ContentEntry = { key: string; value: string; /** Set only for http(s) URLs: nothing else becomes a link. */ href: string | null };

const MAX_DEPTH = 4;

/** Every field of the content as key/value pairs, nested objects as dotted keys, array items as key[i]. */
export function contentEntries(content: unknown): ContentEntry[] {
  const out: ContentEntry[] = [];
  const walk = (value: unknown, key: string, depth: number) => {
    if (value !== null && typeof value === "object" && depth < MAX_DEPTH) {
      const entries = Array.isArray(value) ? value.map((v, i) => [`${key}[${i}]`, v] as const) : Object.entries(value).map(([k, v]) => [key ? `${key}.${k}` : k, v] as const);
      if (entries.length === 0) out.push({ key: key || "(content)", value: Array.isArray(value) ? "[]" : "{}", href: null });
      for (const [k, v] of entries) walk(v, k, depth + 1);
      return;
    }
    const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
    out.push({ key: key || "(content)", value: text, href: typeof value === "string" ? httpUrl(value) : null });
  };
  walk(content, "", 0);
  return out;
}

/** The value when it is an http(s) URL (a `javascript:` or `data:` value must never become a link). */
export function httpUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? value : null;
  } catch {
    return null;
  }
}

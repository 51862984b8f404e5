/**
 * What a message carries on the air, built from what handOver stored: the SMS text, the WAP
 * push's Service Indication, the bootstrap's signed OMA CP document. The Kannel transports send
 * these; the Outbox shows them decoded from the same bytes (message-preview.ts), so what the
 * console shows is what a phone would get.
 */
import { AppError } from "@/lib/errors";
import { serverOptions } from "@/lib/settings/server-options";
import { serverSecret } from "@/lib/settings/server-secret";
import { bootstrapAccount } from "./bootstrap-account";
import { bootstrapPush, type BootstrapPush, type CpSecurity } from "./wap/provisioning";
import type { ServiceIndication } from "./wap/si";

export type PayloadMessage = { id: string; content: Record<string, unknown>; deviceUuid: string };

/** The link message's parts as handOver stored them (job-messages.ts). */
export function linkContent(message: PayloadMessage): { text: string; link: string; title: string; expiresAt: Date | null } {
  const { text, link, title, expiresAt } = message.content as { text?: unknown; link?: unknown; title?: unknown; expiresAt?: unknown };
  // Content that cannot be sent now never will be: VALIDATION_FAILED fails the message at once.
  if (typeof text !== "string" || typeof link !== "string") throw new AppError("VALIDATION_FAILED", `Message ${message.id} has no text and link to send.`);
  const expires = typeof expiresAt === "string" ? new Date(expiresAt) : null;
  return { text, link, title: typeof title === "string" ? title : text, expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : null };
}

export function serviceIndication(message: PayloadMessage, created = new Date()): ServiceIndication {
  const { link, title, expiresAt } = linkContent(message);
  // si-id: one per message, so a repeated attempt replaces its own SI on the phone, not another's.
  return { href: link, text: title, siId: `deploydesk-${message.id}@${new URL(link).host}`, created, ...(expiresAt ? { expires: expiresAt } : {}), action: "signal-high" };
}

/** The bootstrap's security (OMA ProvBoot): a user PIN the administrator gives the device's user. */
export async function bootstrapSecurity(): Promise<CpSecurity> {
  const options = await serverOptions();
  return options.bootstrapSecurity === "USERPINMAC" ? { method: "USERPINMAC", pin: options.bootstrapPin } : { method: "USERPIN", pin: options.bootstrapPin };
}

export async function bootstrapPayload(message: PayloadMessage): Promise<BootstrapPush> {
  const server = typeof message.content.server === "string" ? message.content.server : null;
  if (!server) throw new AppError("VALIDATION_FAILED", `Bootstrap ${message.id} names no server.`);
  return bootstrapPush(bootstrapAccount(await serverSecret(), server, message.deviceUuid), await bootstrapSecurity());
}

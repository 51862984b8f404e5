/**
 * Which transport sends which kind of message, from the configuration (delivery-config.ts):
 * SMS push through sendsms; WAP push through the PPG, or as a binary SMS through sendsms when
 * only sendsms is configured; the bootstrap as a binary SMS through sendsms (the PPG cannot
 * carry its SEC and MAC, kannel.md §7). Without a gateway for a kind, the development outbox.
 */
import type { DeliveryConfig } from "./delivery-config";
import { ppgTransport, sendsmsBootstrapTransport, sendsmsSiTransport, sendsmsTextTransport } from "./kannel/kannel-transports";
import { developmentOutbox, type Transports } from "./transport";

export function configuredTransports(config: DeliveryConfig): Transports {
  const { sendsmsUrl, ppgUrl, sender } = config;
  const sms = sendsmsUrl ? sendsmsTextTransport(sendsmsUrl, sender) : developmentOutbox;
  const wap = ppgUrl ? ppgTransport(ppgUrl, sender) : sendsmsUrl ? sendsmsSiTransport(sendsmsUrl, sender) : developmentOutbox;
  const bootstrap = sendsmsUrl ? sendsmsBootstrapTransport(sendsmsUrl, sender) : developmentOutbox;
  return (kind) => (kind === "SMS_PUSH" ? sms : kind === "WAP_PUSH" ? wap : bootstrap);
}

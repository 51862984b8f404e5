/**
 * The one interface every way of sending sits behind: the Kannel transports (kannel-transports.ts)
 * and the development outbox. The outbox worker hands a transport one attempt of one message and
 * gets back what the gateway said; it never learns how the message travelled.
 */
import type { OutboundKind } from "./delivery";

/** One message as a transport needs it; `content` is what handOver stored (message-content.ts). */
export type OutgoingMessage = {
  id: string;
  kind: OutboundKind;
  recipient: string;
  content: Record<string, unknown>;
  deviceId: number;
  deviceUuid: string;
  /** 1 for the first attempt. */
  attempt: number;
};

export type SendContext = {
  /** Where the gateway's delivery reports for this message go (Kannel's dlr-url). */
  reportUrl: string;
  /** Aborted when the attempt runs out of time. */
  signal: AbortSignal;
};

/**
 * What the gateway said. `retry`: it may work later (gateway down, queue full, a timeout);
 * `rejected`: it never will (bad number, refused content, wrong credentials until someone fixes
 * them). A transport that throws is taken as `retry` with the error's message.
 */
export type SendResult =
  | { outcome: "accepted"; answer: string; gatewayRef?: string; /** The development outbox: shown, not sent. */ kept?: boolean }
  | { outcome: "retry"; answer: string }
  | { outcome: "rejected"; answer: string };

export interface Transport {
  /** Stored on the message: kannel-sendsms, kannel-ppg, development-outbox. */
  readonly name: string;
  send(message: OutgoingMessage, ctx: SendContext): Promise<SendResult>;
}

/** Chooses the transport for each kind of message (configuration: delivery-config.ts). */
export type Transports = (kind: OutboundKind) => Transport;

/** Keeps every message without sending it: the demo and development default (no gateway set). */
export const developmentOutbox: Transport = {
  name: "development-outbox",
  async send() {
    return { outcome: "accepted", kept: true, answer: "No gateway is configured: kept in the development outbox, not sent." };
  },
};

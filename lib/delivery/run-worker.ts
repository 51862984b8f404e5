/**
 * Starts this process's outbox workers as configured (delivery-config.ts): the app server does
 * so beside the console (scripts/serve.ts), `scripts/worker.ts` runs them alone.
 */
import { deliveryConfig, redactGatewayUrl } from "./delivery-config";
import { startOutboxWorker, type OutboxWorker } from "./outbox-worker";
import { configuredTransports } from "./transports";

export async function startConfiguredWorker(databaseUrl: string, log: (line: string) => void = console.log): Promise<OutboxWorker | null> {
  const config = deliveryConfig();
  if (config.workers === 0) {
    log("outbox: no workers in this process (DEPLOYDESK_OUTBOX_WORKERS=0)");
    return null;
  }
  const transports = configuredTransports(config);
  const via = (["SMS_PUSH", "WAP_PUSH", "BOOTSTRAP"] as const).map((kind) => `${kind.toLowerCase().replace("_", " ")}: ${transports(kind).name}`).join(", ");
  const gateways = [config.sendsmsUrl, config.ppgUrl].filter((u): u is string => u !== null).map(redactGatewayUrl);
  log(`outbox: ${config.workers} workers (${via})${gateways.length ? ` → ${gateways.join(", ")}` : ": no gateway configured, messages are kept in the development outbox"}`);
  return startOutboxWorker({ databaseUrl, transports, concurrency: config.workers, housekeeping: true, log });
}

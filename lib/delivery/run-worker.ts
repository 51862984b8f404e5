/**
 * Starts this process's outbox workers as configured (delivery-config.ts): the app server does
 * so beside the console (scripts/serve.ts), `scripts/worker.ts` runs them alone.
 */
import { deliveryConfig, redactGatewayUrl } from "./delivery-config";
import { startOutboxWorker, type OutboxWorker } from "./outbox-worker";
import { callbackBaseUrl, reportUrl } from "./report-url";
import { configuredTransports } from "./transports";

export async function startConfiguredWorker(databaseUrl: string, log: (line: string) => void = console.log): Promise<OutboxWorker | null> {
  const config = deliveryConfig();
  if (config.workers === 0) {
    log("outbox: no workers in this process (DEPLOYDESK_OUTBOX_WORKERS=0)");
    return null;
  }
  // A callback base Kannel could not use would fail every attempt: refuse it at start instead.
  try {
    reportUrl(callbackBaseUrl(), Buffer.alloc(32), "1", 1);
  } catch (error) {
    throw new Error(`The delivery-report URL (DEPLOYDESK_DELIVERY_CALLBACK_URL, else DEPLOYDESK_PUBLIC_URL) cannot be used: ${(error as Error).message}`);
  }
  const transports = configuredTransports(config);
  const via = (["SMS_PUSH", "WAP_PUSH", "BOOTSTRAP"] as const).map((kind) => `${kind.toLowerCase().replace("_", " ")}: ${transports(kind).name}`).join(", ");
  const gateways = [config.sendsmsUrl, config.ppgUrl].filter((u): u is string => u !== null).map(redactGatewayUrl);
  log(`outbox: ${config.workers} workers (${via})${gateways.length ? ` → ${gateways.join(", ")}` : ": no gateway configured, messages are kept in the development outbox"}`);
  return startOutboxWorker({ databaseUrl, transports, concurrency: config.workers, housekeeping: true, log });
}

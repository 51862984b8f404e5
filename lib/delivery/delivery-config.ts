/**
 * How messages leave this server, from the environment (README, "Delivery"):
 *
 *   DEPLOYDESK_KANNEL_SENDSMS_URL  Kannel smsbox's sendsms URL with its username and password,
 *                                  e.g. http://127.0.0.1:13013/cgi-bin/sendsms?username=u&password=p
 *   DEPLOYDESK_KANNEL_PPG_URL      Kannel wapbox's Push Proxy Gateway URL with its push user,
 *                                  e.g. http://127.0.0.1:13080/wappush?username=u&password=p
 *   DEPLOYDESK_SMS_SENDER          the sender number or name the messages carry
 *   DEPLOYDESK_OUTBOX_WORKERS      messages sent at once per process (default 4)
 *
 * With none of the Kannel URLs set, every message goes to the development outbox: kept and
 * shown in the console, not sent. PURE: the environment is an argument.
 */
import { checkFrom } from "./kannel/sendsms";

export type DeliveryConfig = {
  sendsmsUrl: string | null;
  ppgUrl: string | null;
  sender: string | null;
  workers: number;
};

type Env = Record<string, string | undefined>;

function httpUrl(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL (it starts "${value.slice(0, 12)}…").`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`${name} must be an http(s) URL (got ${url.protocol}).`);
  return url.toString();
}

export function deliveryConfig(env: Env = process.env): DeliveryConfig {
  const workers = env.DEPLOYDESK_OUTBOX_WORKERS ? Number(env.DEPLOYDESK_OUTBOX_WORKERS) : 4;
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new Error(`DEPLOYDESK_OUTBOX_WORKERS must be a whole number from 0 to 64 (got ${env.DEPLOYDESK_OUTBOX_WORKERS}).`);
  const sender = env.DEPLOYDESK_SMS_SENDER?.trim() || null;
  if (sender) {
    try {
      checkFrom(sender);
    } catch (error) {
      throw new Error(`DEPLOYDESK_SMS_SENDER: ${(error as Error).message}`);
    }
  }
  return { sendsmsUrl: httpUrl(env, "DEPLOYDESK_KANNEL_SENDSMS_URL"), ppgUrl: httpUrl(env, "DEPLOYDESK_KANNEL_PPG_URL"), sender, workers };
}

/** A URL as it may be shown or logged: its password and a `password` parameter hidden. */
export function redactGatewayUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  for (const key of [...parsed.searchParams.keys()]) if (/pass/i.test(key)) parsed.searchParams.set(key, "***");
  return parsed.toString();
}

import type { Readable } from "node:stream";

/**
 * The device endpoint's own request and response: plain data, no framework types. The Next
 * route and the lean device server each turn their native request into a DeviceRequest and a
 * DeviceResponse back into their native answer (adapters in next-adapter.ts and
 * node-adapter.ts); everything between is shared.
 */
export type DeviceRequest = {
  method: string;
  /** Path without the query string, as sent (percent-encoded). */
  path: string;
  /** The query string's parameters (first value of each). */
  query: Record<string, string>;
  /** Header names lower-cased; every value a header had, in order. */
  headers: Record<string, string[]>;
  /** The raw body: status reports are text, file-collection uploads are binary. */
  body: Buffer;
  /** Scheme, host and port the request came in on (for links when no public URL is set). */
  origin: string;
  remoteAddress: string | null;
};

export type DeviceResponse = {
  status: number;
  reason: string;
  headers: Record<string, string>;
  /** A stream for package files (never held in memory); its length is in the headers. */
  body: Buffer | string | Readable;
  /** Runs once the whole body has been written (the last byte of a package served). */
  onSent?: () => Promise<void>;
};

/** Status reports and inventories are small; anything near this is not a CE message. */
export const DEFAULT_MAX_DEVICE_BODY_BYTES = 1024 * 1024;

export function maxDeviceBodyBytes(): number {
  const configured = Number(process.env.DEPLOYDESK_MAX_DEVICE_BODY_BYTES);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_DEVICE_BODY_BYTES;
}

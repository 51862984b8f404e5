/**
 * Mounts a device handler on node:http: IncomingMessage in, DeviceRequest through the shared
 * code, the DeviceResponse written back. The Next route's adapter (next-adapter.ts) is its twin.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DeviceHandler } from "./next-adapter";
import { readLimitedBody } from "./read-body";
import { errorResponse } from "./responses";
import { maxDeviceBodyBytes, type DeviceRequest, type DeviceResponse } from "./types";

/** Every copy of every header, names lower-cased (rawHeaders keeps the duplicates Node joins). */
function headerValues(raw: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) (out[raw[i]!.toLowerCase()] ??= []).push(raw[i + 1]!);
  return out;
}

async function fromIncoming(req: IncomingMessage): Promise<DeviceRequest> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const body = await readLimitedBody(req, req.headers["content-length"] ?? null, maxDeviceBodyBytes(), () => {
    // Stop reading what is left; the answer is written next and the connection then closed.
    req.pause();
  });
  const host = req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`;
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: headerValues(req.rawHeaders),
    body,
    origin: `${scheme}://${host}`,
    remoteAddress: req.socket.remoteAddress ?? null,
  };
}

export function writeDeviceResponse(res: ServerResponse, response: DeviceResponse, head: boolean): void {
  const body = typeof response.body === "string" ? Buffer.from(response.body) : response.body;
  res.writeHead(response.status, response.reason, { ...response.headers, "content-length": String(body.length) });
  res.end(head ? undefined : body);
}

export function nodeDeviceHandler(handler: DeviceHandler): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let response: DeviceResponse;
    let tooLarge = false;
    try {
      response = await handler(await fromIncoming(req));
    } catch (error) {
      tooLarge = true;
      response = errorResponse(error);
    }
    // A body refused half-read leaves bytes on the connection: close it rather than parse them.
    if (tooLarge) res.setHeader("connection", "close");
    writeDeviceResponse(res, response, req.method === "HEAD");
  };
}

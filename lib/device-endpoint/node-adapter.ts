/**
 * Mounts a device handler on node:http: IncomingMessage in, DeviceRequest through the shared
 * code, the DeviceResponse written back. The Next route's adapter (next-adapter.ts) is its twin.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
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

export async function writeDeviceResponse(res: ServerResponse, response: DeviceResponse, head: boolean): Promise<void> {
  if (response.body instanceof Readable) {
    res.writeHead(response.status, response.reason, response.headers);
    if (head) {
      response.body.destroy();
      res.end();
      return;
    }
    try {
      await pipeline(response.body, res);
    } catch {
      return; // the client went away: the body was not all sent
    }
  } else {
    const body = typeof response.body === "string" ? Buffer.from(response.body) : response.body;
    // A HEAD answer names the length of the body it does not send.
    res.writeHead(response.status, response.reason, { "content-length": String(body.length), ...response.headers });
    await new Promise<void>((resolve) => res.end(head ? undefined : body, () => resolve()));
  }
  if (!head) await response.onSent?.().catch((error) => console.error("after sending a response", error));
}

export function nodeDeviceHandler(handler: DeviceHandler): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let response: DeviceResponse;
    let bodyUnread = false;
    try {
      response = await handler(await fromIncoming(req));
    } catch (error) {
      bodyUnread = true;
      response = errorResponse(error);
    }
    // A body refused half-read leaves bytes on the connection: close it rather than parse them.
    if (bodyUnread) res.setHeader("connection", "close");
    await writeDeviceResponse(res, response, req.method === "HEAD");
  };
}

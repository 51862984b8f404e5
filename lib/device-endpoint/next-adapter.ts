/**
 * Mounts a device handler as a Next.js route handler: web Request in, DeviceRequest through the
 * shared code, web Response out. The lean device server has the same adapter for node:http
 * (node-adapter.ts); nothing else differs between the two.
 */
import { Readable } from "node:stream";
import { readLimitedBody } from "./read-body";
import { errorResponse } from "./responses";
import { maxDeviceBodyBytes, type DeviceRequest, type DeviceResponse } from "./types";

export type DeviceHandler = (request: DeviceRequest) => Promise<DeviceResponse>;

async function fromWebRequest(request: Request): Promise<DeviceRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string[]> = {};
  // Fetch joins repeated headers into one value; the node:http adapter sees each copy.
  request.headers.forEach((value, name) => (headers[name] = [value]));
  const body = await readLimitedBody(request.body as AsyncIterable<Uint8Array> | null, request.headers.get("content-length"), maxDeviceBodyBytes());
  return {
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    origin: url.origin,
    remoteAddress: request.headers.get("x-forwarded-for"),
  };
}

function toWebResponse(response: DeviceResponse, head: boolean): Response {
  const init = { status: response.status, statusText: response.reason, headers: response.headers };
  const { body, onSent } = response;
  if (body instanceof Readable) {
    if (head) {
      body.destroy();
      return new Response(null, init);
    }
    // Tell the handler when the last byte has gone out (the stream's end), as the node adapter does.
    const done = new TransformStream<Uint8Array, Uint8Array>({ flush: () => void onSent?.().catch((e) => console.error("after sending a response", e)) });
    return new Response((Readable.toWeb(body) as ReadableStream<Uint8Array>).pipeThrough(done), init);
  }
  const bytes = head || body.length === 0 ? null : typeof body === "string" ? body : new Uint8Array(body);
  if (!head && onSent) void onSent().catch((e) => console.error("after sending a response", e));
  return new Response(bytes, init);
}

export function nextDeviceRoute(handler: DeviceHandler): (request: Request) => Promise<Response> {
  return async (request) => {
    let response: DeviceResponse;
    try {
      response = await handler(await fromWebRequest(request));
    } catch (error) {
      response = errorResponse(error);
    }
    return toWebResponse(response, request.method === "HEAD");
  };
}

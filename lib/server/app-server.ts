/**
 * The one public HTTP server: devices and browsers use the same base URL. Device messages,
 * package downloads and the registration call go straight to their shared handlers
 * (lib/device-endpoint, lib/downloads) without passing through Next;
 * everything else goes to `fallback` (Next's request handler, or a 404 on a device-only node).
 * The request guard answers what would otherwise reach a framework as a 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { nodeDeviceHandler } from "@/lib/device-endpoint/node-adapter";
import { isDeviceMessagePath, isPackagePath, isProvisionPath } from "@/lib/device-endpoint/paths";
import { handleProvision } from "@/lib/device-endpoint/provision";
import { handleDeviceMessage } from "@/lib/device-endpoint/registry";
import { servePackage } from "@/lib/downloads/serve-package";
import { refuseRequest } from "./request-guard";
import { CLIENT_ADDRESS_HEADER, REQUEST_PATH_HEADER } from "./trusted-headers";

export type Fallback = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

function writeText(res: ServerResponse, status: number, reason: string, text: string, headers: Record<string, string> = {}) {
  const body = Buffer.from(`${reason}: ${text}\n`);
  res.writeHead(status, reason, { "content-type": "text/plain; charset=utf-8", "content-length": String(body.length), ...headers });
  res.end(body);
}

/** IPv4 peers of a dual-stack socket arrive as ::ffff:a.b.c.d; people read a.b.c.d. */
function clientAddress(remote: string | undefined): string {
  if (!remote) return "";
  return remote.startsWith("::ffff:") && remote.includes(".") ? remote.slice(7) : remote;
}

export const notFoundFallback: Fallback = (_req, res) => writeText(res, 404, "Not Found", "This node serves device messages only.");

export function createAppServer(fallback: Fallback): Server {
  const device = nodeDeviceHandler(handleDeviceMessage);
  const packages = nodeDeviceHandler(servePackage);
  const provision = nodeDeviceHandler(handleProvision);
  const server = createServer({ noDelay: true }, async (req, res) => {
    try {
      const refusal = refuseRequest(req.method ?? "GET", req.url ?? "");
      if (refusal) return writeText(res, refusal.status, refusal.reason, refusal.text, refusal.headers);
      const path = (req.url ?? "/").split("?", 1)[0]!;
      if (isDeviceMessagePath(path)) return await device(req, res);
      if (isPackagePath(path)) return await packages(req, res);
      if (isProvisionPath(path)) return await provision(req, res);
      req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req.socket.remoteAddress);
      req.headers[REQUEST_PATH_HEADER] = req.url ?? "/";
      await fallback(req, res);
    } catch (error) {
      console.error("request failed", error);
      if (!res.headersSent) writeText(res, 500, "Internal Server Error", "The server failed to answer.");
      else res.destroy();
    }
  });
  // Keep-alive connections a little longer than typical clients and load balancers expect.
  server.keepAliveTimeout = 65_000;
  return server;
}

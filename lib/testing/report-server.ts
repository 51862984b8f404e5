/**
 * This server's HTTP face as Kannel meets it, for the delivery tests and benchmarks: the app
 * server's own device paths (packages, device messages: lib/server/app-server.ts) and the
 * delivery-report route, which in production Next serves, mounted by hand.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GET as reportGet, POST as reportPost } from "@/app/api/delivery/reports/[messageId]/route";
import { createAppServer } from "@/lib/server/app-server";

export type ReportServer = { origin: string; close(): Promise<void> };

export async function startReportServer(): Promise<ReportServer> {
  let origin = "";
  const server: http.Server = createAppServer(async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const match = /^\/api\/delivery\/reports\/([^/]+)$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, ...(req.method === "POST" ? { body: Buffer.concat(chunks) } : {}) });
    const handler = req.method === "POST" ? reportPost : reportGet;
    const response = await handler(request, { params: Promise.resolve({ messageId: match[1]! }) });
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

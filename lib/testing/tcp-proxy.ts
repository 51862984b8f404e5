/**
 * A TCP proxy in front of the test database whose link can be cut: `drop()` closes every
 * connection through it and refuses new ones, as a database restart or a network outage does,
 * and `restore()` lets connections through again on the same port. For testing reconnects
 * without stopping the database that every other connection of the test still uses.
 */
import net from "node:net";

export type TcpProxy = { url: string; drop(): Promise<void>; restore(): Promise<void>; close(): Promise<void> };

export async function startTcpProxy(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => (sockets.add(s), s.on("close", () => sockets.delete(s)));
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).on("error", () => undefined);
    upstream.pipe(client).on("error", () => undefined);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const url = Object.assign(new URL(databaseUrl), { host: `127.0.0.1:${port}` }).toString();
  const drop = async () => {
    const closed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    url,
    drop,
    restore: () => listen(port),
    close: drop,
  };
}

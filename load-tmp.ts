import http from "node:http";
import { pollDocument } from "./scripts/simulator/wire";
const agent = new http.Agent({ keepAlive: true });
let n = 0; const end = Date.now() + 8000;
const uuid = (i: number) => `BENCH-${String(i).padStart(7, "0")}`;
await Promise.all(Array.from({ length: 16 }, async () => {
  while (Date.now() < end) {
    const i = 1 + Math.floor(Math.random() * 10000);
    const body = Buffer.from(pollDocument({ uuid: uuid(i), name: "x", platform: "Bench CE", ip: "10.0.0.1", cursor: "" }));
    await new Promise<void>((res, rej) => { const r = http.request({ host: "127.0.0.1", port: Number(process.env.LPORT ?? 3451), path: "/api/dm", method: "POST", agent, headers: { "X-Device-UUID": uuid(i), "X-Device-Auth": `bench-token-${uuid(i)}`, "X-Device-Action": "Poll", "X-Device-client-version": "1.0", "content-length": body.length } }, (s) => { s.resume(); s.on("end", () => res()); }); r.on("error", rej); r.end(body); });
    n++;
  }
}));
console.log("polls/s", n / 8);
process.exit(0);

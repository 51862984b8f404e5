/**
 * The Kannel harness against the real thing: what DeployDesk will send through sendsms and the
 * PPG arrives at the fake SMSC as the phone would get it, DLR callbacks come back, and the gateway
 * can go down and come back on the same URLs. One instance for all; the outage case runs last.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { XMLParser } from "fast-xml-parser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startKannel, type KannelInstance } from "./kannel";

let k: KannelInstance;
let dlrServer: http.Server;
let dlrBase: string;
const dlrCalls: { at: number; method: string; query: URLSearchParams }[] = [];

beforeAll(async () => {
  dlrServer = http.createServer((req, res) => {
    dlrCalls.push({ at: Date.now(), method: req.method ?? "", query: new URL(req.url ?? "/", "http://x").searchParams });
    res.end("ok");
  });
  await new Promise<void>((resolve) => dlrServer.listen(0, "127.0.0.1", () => resolve()));
  dlrBase = `http://127.0.0.1:${(dlrServer.address() as AddressInfo).port}`;
  k = await startKannel();
});

afterAll(async () => {
  await k?.stop();
  await new Promise((resolve) => dlrServer?.close(resolve));
});

afterEach((ctx) => {
  if (ctx.task.result?.state === "fail" && k) console.error(k.logs(60));
});

/** Every octet as %XX: sendsms URL-decodes its parameters into bytes, so this carries any payload. */
const pct = (bytes: Uint8Array) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join("");

async function sendsms(params: Record<string, string>, raw = ""): Promise<{ status: number; body: string }> {
  const res = await fetch(`${k.sendsmsUrl}&${new URLSearchParams(params)}${raw}`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.text() };
}

async function dlrsFor(id: string, count: number, timeoutMs = 5_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const calls = dlrCalls.filter((c) => c.query.get("id") === id);
    if (calls.length >= count || Date.now() > until) return calls;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const PHONE = "+15551234567";

describe("sendsms", () => {
  it("delivers a text with its sender, receiver and text", async () => {
    const r = await sendsms({ from: "5555", to: PHONE, text: "Download your app: http://example.com/app.apk" });
    expect(r).toEqual({ status: 202, body: "0: Accepted for delivery" });
    const m = await k.smsc.next((x) => x.text?.startsWith("Download") ?? false);
    expect(m).toMatchObject({ from: "5555", to: PHONE, kind: "text", text: "Download your app: http://example.com/app.apk", segments: 1 });

    await sendsms({ to: PHONE, text: "no from" });
    expect((await k.smsc.next((x) => x.text === "no from")).from).toBe(k.sender);
  });

  it("calls the DLR URL back with status 8 (SMSC accepted), then 1 (delivered)", async () => {
    const id = `dlr-${Date.now()}`;
    // %d status, %A the SMSC's answer, %F its message id, %i the smsc-id, %T unix time.
    const dlrUrl = `${dlrBase}/dlr?id=${id}&status=%d&answer=%A&msgid=%F&smsc=%i&ts=%T`;
    const r = await sendsms({ to: PHONE, text: "with dlr", "dlr-mask": "31", "dlr-url": dlrUrl });
    expect(r.status).toBe(202);
    const calls = await dlrsFor(id, 2);
    expect(calls.map((c) => c.query.get("status"))).toEqual(["8", "1"]);
    const [acked, delivered] = calls.map((c) => Object.fromEntries(c.query));
    expect(acked).toMatchObject({ answer: "ACK/", msgid: "", smsc: k.smscId });
    expect(delivered).toMatchObject({ answer: "", smsc: k.smscId });
    expect(delivered!.msgid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    for (const c of [acked!, delivered!]) expect(Math.abs(Number(c.ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(calls.every((c) => c.method === "GET")).toBe(true);
  });

  it("carries a UDH and 8-bit data byte for byte", async () => {
    // Every awkward octet for a line- and URL-based wire: NUL, LF, CR, %, +, space, &, =, 0xFF.
    const body = Buffer.from([0x01, 0x06, 0x01, 0xae, 0x00, 0x0a, 0x0d, 0x25, 0x2b, 0x20, 0x26, 0x3d, 0xff, 0x80, 0x7f, 0x41]);
    const r = await sendsms({ to: PHONE, coding: "1" }, `&udh=%06%05%04%0B%84%23%F0&text=${pct(body)}`);
    expect(r.status).toBe(202);
    const m = await k.smsc.next((x) => x.kind === "binary" && x.data?.[0] === 0x01);
    expect(m.udh?.toString("hex")).toBe("0605040b8423f0");
    expect(m.data).toEqual(body);
    expect(m.segments).toBe(1);
  });

  it("reassembles a long text and a long binary message from their segments", async () => {
    const text = `Install DeployDesk Agent 2.1 (grüne Version): ${"0123456789 ".repeat(25)}end`;
    expect((await sendsms({ to: PHONE, text })).status).toBe(202);
    const long = await k.smsc.next((x) => x.text?.startsWith("Install DeployDesk") ?? false);
    expect(long.segments).toBeGreaterThan(1);
    expect(long).toMatchObject({ kind: "text", text });
    expect(long.udh).toBeUndefined();

    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect((await sendsms({ to: PHONE, coding: "1" }, `&udh=%06%05%04%0B%84%23%F0&text=${pct(bytes)}`)).status).toBe(202);
    const bin = await k.smsc.next((x) => x.kind === "binary" && (x.data?.length ?? 0) === 256);
    expect(bin.segments).toBeGreaterThan(1);
    // The port IE stays, the concatenation IE Kannel added is gone.
    expect(bin.udh?.toString("hex")).toBe("0605040b8423f0");
    expect(bin.data).toEqual(bytes);
  });

  it("hands a mobile-originated message from the fake SMSC to smsbox", async () => {
    k.smsc.sendMo("15550001111", k.sender, "hello gateway");
    const until = Date.now() + 5_000;
    const handled = () => k.accessLog("smsbox").find((l) => l.includes("request: 'hello gateway'"));
    while (!handled() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(handled()).toContain("sender:15550001111");
    expect(k.accessLog().find((l) => l.includes("Receive SMS"))).toContain("[msg:13:hello gateway]");
  });
});

describe("PPG", () => {
  const BOUNDARY = "deploydesk-pap-boundary";
  const pap = (pushId: string, siId: string) =>
    [
      `--${BOUNDARY}`,
      "Content-Type: application/xml",
      "",
      '<?xml version="1.0"?>',
      '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP//EN" "http://www.wapforum.org/DTD/pap_1.0.dtd">',
      `<pap><push-message push-id="${pushId}">`,
      `<address address-value="WAPPUSH=${PHONE}/TYPE=PLMN@ppg.example.com"/>`,
      // "unconfirmed" explicitly: the DTD default (notspecified) goes out to another port, confirmed not at all.
      '<quality-of-service delivery-method="unconfirmed" network="GSM" network-required="true" bearer="SMS" bearer-required="true"/>',
      "</push-message></pap>",
      `--${BOUNDARY}`,
      "Content-Type: text/vnd.wap.si",
      "",
      '<?xml version="1.0"?>',
      '<!DOCTYPE si PUBLIC "-//WAPFORUM//DTD SI 1.0//EN" "http://www.wapforum.org/DTD/si.dtd">',
      `<si><indication href="http://example.com/app.apk" si-id="${siId}" action="signal-high">Install the app</indication></si>`,
      `--${BOUNDARY}--`,
      "",
    ].join("\r\n");

  /** node:http with nothing but the needed headers: the PPG copies the PI's other headers into the WSP headers of the SMS. */
  function push(body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(k.ppgUrl);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: "POST",
          // An address without WAPPUSH= sends wapbox into a busy loop that never answers: time out, not hang.
          timeout: 5_000,
          headers: {
            "Content-Type": `multipart/related; boundary=${BOUNDARY}; type="application/xml"`,
            "Content-Length": Buffer.byteLength(body),
            Connection: "close",
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        },
      );
      req.on("timeout", () => req.destroy(new Error("PPG did not answer within 5 s")));
      req.on("error", reject);
      req.end(body);
    });
  }

  it("delivers a Service Indication to the push port and answers 202 with code 1001", async () => {
    const siId = `si-${Date.now()}@console.example.com`;
    const r = await push(pap(`push-${Date.now()}@console.example.com`, siId));
    expect(r.status).toBe(202);
    // Kannel writes `code ="1001"` (with a space): read it as XML, not as text.
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", parseAttributeValue: false, parseTagValue: false, processEntities: false });
    const doc = parser.parse(r.body) as { pap?: { "push-response"?: { "response-result"?: { code?: string } } } };
    expect(doc.pap?.["push-response"]?.["response-result"]?.code).toBe("1001");

    const m = await k.smsc.next((x) => x.kind === "binary" && (x.data?.includes(siId) ?? false));
    expect(m).toMatchObject({ from: k.sender, to: PHONE, segments: 1 });
    // WDP ports 2948 (push) from 9200; then WSP: TID, 0x06 Push, header length, 0xAE = application/vnd.wap.sic.
    expect(m.udh?.toString("hex")).toBe("0605040b8423f0");
    const data = m.data!;
    expect([data[1], data[3]]).toEqual([0x06, 0xae]);
    const sic = data.subarray(3 + data[2]!);
    expect(sic.subarray(0, 4).toString("hex")).toBe("02056a00"); // WBXML 1.2, SI 1.0 public id, UTF-8
    // href "http://example.com/app.apk" compiles to the http:// token, "example", the .com/ token, "app.apk".
    expect(sic.includes(Buffer.from([0x0c, 0x03, ...Buffer.from("example"), 0x00, 0x85, 0x03, ...Buffer.from("app.apk"), 0x00]))).toBe(true);
    expect(sic.includes("Install the app")).toBe(true);
  });

  it("calls X-Kannel-DLR-Url back for a push as sendsms does, 8 then 1", async () => {
    const id = `ppg-dlr-${Date.now()}`;
    const siId = `si-${id}@console.example.com`;
    const r = await push(pap(`push-${id}@console.example.com`, siId), {
      "X-Kannel-DLR-Url": `${dlrBase}/dlr?id=${id}&status=%d&service=%n&phone=%p`,
      "X-Kannel-DLR-Mask": "31",
    });
    expect(r.status).toBe(202);
    await k.smsc.next((x) => x.data?.includes(siId) ?? false);
    const calls = await dlrsFor(id, 2);
    expect(calls.map((c) => c.query.get("status"))).toEqual(["8", "1"]);
    // %n is the ppg group's service-name; %p in a DLR is the phone (sender and receiver swap).
    expect(calls.map((c) => [c.query.get("service"), c.query.get("phone")])).toEqual([["ppg", PHONE], ["ppg", PHONE]]);
  });
});

describe("gateway outage", () => {
  it("refuses sendsms while down and works again on the same URL when back", async () => {
    await k.stopGateway();
    const down = await fetch(`${k.sendsmsUrl}&to=${encodeURIComponent(PHONE)}&text=while+down`).then(
      () => "answered",
      (e: Error & { cause?: { code?: string } }) => e.cause?.code,
    );
    expect(down).toBe("ECONNREFUSED");
    expect(k.smsc.connected).toBe(false);

    await k.startGateway();
    expect(k.smsc.connected).toBe(true);
    const text = `after restart ${Date.now()}`;
    expect((await sendsms({ to: PHONE, text })).status).toBe(202);
    await k.smsc.next((x) => x.text === text);
    await new Promise((r) => setTimeout(r, 200));
    expect(k.smsc.messages.filter((x) => x.text === text || x.text === "while down")).toHaveLength(1);
  });
});

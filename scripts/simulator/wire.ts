/**
 * The simulator's own wire code, written from shared/docs/protocol-wince-dm.md and sharing
 * nothing with the server (a real CE client does not either). Like the CE client's limited
 * parser, it reads the few elements it needs with plain patterns, and writes documents shaped
 * like the documented samples.
 */
import http from "node:http";

export const NS = "http://www.microsoft.com/DeviceManagement.xsd";

const esc = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const unesc = (v: string) => v.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** Text of every `<name>…</name>`. */
export function texts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`, "g"))].map((m) => unesc(m[1]!.trim()));
}

export function text(xml: string, name: string): string | null {
  return texts(xml, name)[0] ?? null;
}

/** Values of `attr` on every `<name …>`. */
export function attrs(xml: string, name: string, attr: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}\\s[^>]*?${attr}="([^"]*)"`, "g"))].map((m) => unesc(m[1]!));
}

/** `0000-00-DD hh:mm:ss` → seconds. */
export function seconds(duration: string | null): number | null {
  const m = duration?.match(/^0000-00-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})$/);
  return m ? Number(m[1]) * 86_400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) : null;
}

export function wallTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

export function pollDocument(d: { uuid: string; name: string; platform: string; ip: string; cursor: string }): string {
  return `<?xml version="1.0" encoding="utf-8" ?>
<DevicePoll xmlns="${NS}"><ManagementSystem><Name>SMS Device Management</Name><Version>2.5.0.0</Version></ManagementSystem>
<Identification>
<ID>${esc(d.uuid)}</ID><DeviceName>${esc(d.name)}</DeviceName><UserName>fleet\\sim</UserName>
<Platform>${esc(d.platform)}</Platform><Processor>2336</Processor><NetworkAdapter >
<IPAddress>${d.ip}</IPAddress><IPSubnet>255.255.0.0</IPSubnet>
</NetworkAdapter>
<CodePage>1252</CodePage>
<SystemDefaultLCID>1033</SystemDefaultLCID>
</Identification>
<Connection>
<AuthorizationToken>0</AuthorizationToken>
<Timestamp>${esc(d.cursor || "0")}</Timestamp>
</Connection>
</DevicePoll>`;
}

export function instructionsRequest(packageId: string): string {
  return `<?xml version="1.0" encoding="utf-8" ?>\n<InstructionsRequest xmlns="${NS}">\n  <Package ID="${esc(packageId)}" />\n</InstructionsRequest>`;
}

export function locationRequest(packageId: string, ip: string): string {
  return `<?xml version="1.0" encoding="utf-8" ?>
<PackageLocationRequest xmlns="${NS}">
  <PackageID>${esc(packageId)}</PackageID>
  <ClientLocation>
    <IPAddresses>
      <IPAddress address="${ip}" subnet="255.255.0.0" />
    </IPAddresses>
  </ClientLocation>
</PackageLocationRequest>`;
}

export function statusDocument(messages: { packageId: string; messageId: string; at: Date; returnCode: string }[]): string {
  const body = messages
    .map((m) => `  <StatusMessage packageID="${esc(m.packageId)}" messageID="${m.messageId}" timestamp="${wallTime(m.at)}">\n    <Parameter name="Return code">${esc(m.returnCode)}</Parameter>\n  </StatusMessage>\n`)
    .join("");
  return `<Status xmlns="${NS}">\n${body}</Status>`;
}

export function softwareInventory(files: { name: string; size: number }[]): string {
  const rows = files
    .map((f) => `    <File Name="${esc(f.name)}" Version="1.0.0" Company="" Description="" Size="${f.size}" Created="2026-01-01 00:00:00" LastModified="2026-01-01 00:00:00" LastAccessed="2026-01-01 00:00:00" Attributes=""/>\n`)
    .join("");
  return `<FileReport>\n  <Directory Name="\\Windows" Created="2026-01-01 00:00:00" LastAccessed="2026-01-01 00:00:00" Attributes="">\n${rows}  </Directory>\n</FileReport>`;
}

export function machineInventory(d: { platform: string; name: string; ip: string; clientVersion: string }): string {
  return `<Inventory type="machine">
<InventoryItem name="Device_System">
<Property name="PlatformType">${esc(d.platform)}</Property><Property name="OEMInfo">${esc(d.name)}</Property><Property name="NumberOfProcessors">1</Property></InventoryItem>
<InventoryItem name="Device_OS">
<Property name="Platform">3</Property><Property name="MajorVersion">6</Property><Property name="MinorVersion">0</Property><Property name="BuildNumber">3122</Property></InventoryItem>
<InventoryItem name="Device_Network">
<Property name="IPAddress">${d.ip}</Property><Property name="IPSubnet">255.255.0.0</Property></InventoryItem>
<InventoryItem name="Device_DMClient">
<Property name="Version">${esc(d.clientVersion)}</Property></InventoryItem>
</Inventory>`;
}

// ---------------------------------------------------------------------------------------------

export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP exchange. `cutAfter` drops the connection once that many body bytes have arrived. */
export function exchange(
  url: URL,
  opts: { method: string; headers?: Record<string, string>; body?: string; cutAfter?: number; timeoutMs?: number },
): Promise<Reply & { cut: boolean }> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    const req = http.request(
      url,
      { method: opts.method, agent, headers: { ...opts.headers, ...(body ? { "content-length": String(body.length) } : {}) }, timeout: opts.timeoutMs ?? 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        let got = 0;
        res.on("data", (c: Buffer) => {
          if (opts.cutAfter !== undefined && got + c.length >= opts.cutAfter) {
            chunks.push(c.subarray(0, Math.max(0, opts.cutAfter - got)));
            got = opts.cutAfter;
            req.destroy();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), cut: true });
            return;
          }
          got += c.length;
          chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), cut: false }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    // After a deliberate cut the promise has resolved; a later error changes nothing.
    req.on("error", reject);
    req.end(body);
  });
}

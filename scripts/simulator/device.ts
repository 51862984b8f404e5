/**
 * One simulated Windows CE Device Management Client: its registry-like state (UUID, token,
 * cursor, package database) and one poll cycle of protocol §4.1/4.2: poll, remove what left the
 * list, and for each package it lacks: instructions, location, 11030, a download (resumed with
 * Range when the connection breaks, checked against PackageSize and the ETag's SHA-256),
 * 11031 or 11032, 11035; plus the inventories the poll asks for.
 */
import { createHash } from "node:crypto";
import { attrs, exchange, instructionsRequest, locationRequest, machineInventory, pollDocument, seconds, softwareInventory, statusDocument, text, type Reply } from "./wire";

export type Behaviour = {
  /** Chance that a download is reported failed (11032) even though it worked. */
  failRate: number;
  /** Chance that a download's connection breaks part way (then resumed with Range). */
  dropRate: number;
  /** Chance that a status report is sent twice. */
  duplicateRate: number;
  /** Chance that a package's reports are sent in reverse order (11035, 11031, 11030). */
  outOfOrderRate: number;
  random: () => number;
};

export type DeviceStats = {
  uuid: string;
  polls: number;
  enrolled: boolean;
  packagesListed: number;
  installed: number;
  removed: number;
  downloads: number;
  downloadFailures: number;
  reportedFailures: number;
  resumes: number;
  bytes: number;
  reports: number;
  inventories: number;
  errors: string[];
};

export class SimulatedDevice {
  cursor = "";
  clientVersion = "1.0";
  readonly packages = new Map<string, { size: number }>();
  private lastInventory = 0;
  readonly stats: DeviceStats;

  constructor(
    readonly server: URL,
    readonly uuid: string,
    public token: string,
    readonly name: string,
    readonly ip: string,
    private readonly behaviour: Behaviour,
    readonly platform = "Simulated CE 6.0",
  ) {
    this.stats = { uuid, polls: 0, enrolled: false, packagesListed: 0, installed: 0, removed: 0, downloads: 0, downloadFailures: 0, reportedFailures: 0, resumes: 0, bytes: 0, reports: 0, inventories: 0, errors: [] };
  }

  private async post(action: string, body: string, extra: Record<string, string> = {}): Promise<Reply> {
    const headers = {
      "X-Device-UUID": this.uuid,
      "X-Device-Auth": this.token,
      "X-Device-Timestamp": this.cursor,
      "X-Device-client-version": this.clientVersion,
      "X-Device-Action": action,
      ...extra,
    };
    const reply = await exchange(this.server, { method: "POST", headers, body });
    // The server may hand out a new credential on any answer; the device keeps it (protocol §2.3).
    const issued = reply.headers["x-device-auth"];
    if (typeof issued === "string" && issued) {
      if (this.stats.polls === 0) this.stats.enrolled = true;
      this.token = issued;
    }
    if (reply.status === 503) throw new Error(`server unavailable (${action}), retry after ${reply.headers["retry-after"] ?? "?"} s`);
    if (reply.status !== 200) throw new Error(`${action}: HTTP ${reply.status} ${reply.body.toString().trim().slice(0, 200)}`);
    return reply;
  }

  private async report(messages: { packageId: string; messageId: string; at: Date; returnCode: string }[]): Promise<void> {
    const doc = statusDocument(messages);
    await this.post("Status", doc);
    this.stats.reports += messages.length;
    if (this.behaviour.random() < this.behaviour.duplicateRate) {
      await this.post("Status", doc); // a retry of the same document
      this.stats.reports += messages.length;
    }
  }

  /** One poll cycle. Returns the poll interval the server asked for, in seconds. */
  async cycle(now: () => Date = () => new Date()): Promise<number | null> {
    const poll = await this.post("Poll", pollDocument({ uuid: this.uuid, name: this.name, platform: this.platform, ip: this.ip, cursor: this.cursor }));
    this.stats.polls++;
    const cursor = poll.headers["x-device-timestamp"];
    if (typeof cursor === "string") this.cursor = cursor;
    const xml = poll.body.toString("utf8");
    const listed = attrs(xml, "Package", "ID");
    this.stats.packagesListed = listed.length;

    // Removal by omission: what the server no longer lists goes.
    for (const id of [...this.packages.keys()]) {
      if (!listed.includes(id)) {
        this.packages.delete(id);
        this.stats.removed++;
      }
    }
    for (const id of listed) {
      if (this.packages.has(id)) continue;
      try {
        await this.install(id, now);
      } catch (error) {
        this.stats.errors.push(`${id}: ${(error as Error).message}`);
      }
    }
    await this.sendInventories(xml, now());
    return seconds(text(xml, "PollInterval"));
  }

  private async install(packageId: string, now: () => Date): Promise<void> {
    const instructions = (await this.post("InstructionRequest", instructionsRequest(packageId))).body.toString("utf8");
    const size = Number(text(instructions, "PackageSize") ?? NaN);
    const location = (await this.post("LocationRequest", locationRequest(packageId, this.ip))).body.toString("utf8");
    const url = text(location, "URL");
    if (!url) throw new Error("PackageLocation has no HTTP URL");

    const started = now();
    const result = await this.download(new URL(url), size);
    const finished = now();
    // Device times: one second apart at least, so the reports order as they happened.
    const t = (offset: number) => new Date(Math.max(started.getTime(), finished.getTime()) + offset * 1000);
    const failed = !result.ok || this.behaviour.random() < this.behaviour.failRate;
    const messages = failed
      ? [
          { packageId, messageId: "11030", at: new Date(started.getTime()), returnCode: "0" },
          { packageId, messageId: "11032", at: t(1), returnCode: result.ok ? "0x80070057" : "0x80072EE7" },
        ]
      : [
          { packageId, messageId: "11030", at: new Date(started.getTime()), returnCode: "0" },
          { packageId, messageId: "11031", at: t(1), returnCode: "0" },
          { packageId, messageId: "11035", at: t(2), returnCode: "0" },
        ];
    // Each report is its own document, as a CE client sends them; some devices' arrive reversed.
    const order = this.behaviour.random() < this.behaviour.outOfOrderRate ? [...messages].reverse() : messages;
    for (const m of order) await this.report([m]);
    if (failed) {
      if (result.ok) this.stats.reportedFailures++;
      else this.stats.downloadFailures++;
      return;
    }
    this.packages.set(packageId, { size });
    this.stats.installed++;
  }

  /** Downloads the package, resuming with Range after a cut connection; checks length and SHA-256 (the ETag). */
  private async download(url: URL, size: number): Promise<{ ok: boolean }> {
    const parts: Buffer[] = [];
    let have = 0;
    let etag: string | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const cut = this.behaviour.random() < this.behaviour.dropRate && size > 2 ? Math.floor((size - have) * (0.2 + 0.6 * this.behaviour.random())) : undefined;
      const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-`, ...(etag ? { "If-Range": etag } : {}) } : {};
      const reply = await exchange(url, { method: "GET", headers, cutAfter: cut });
      if (have > 0 && reply.status !== 206) throw new Error(`resume got HTTP ${reply.status}, expected 206`);
      if (have === 0 && reply.status !== 200) throw new Error(`download got HTTP ${reply.status}`);
      etag ??= typeof reply.headers.etag === "string" ? reply.headers.etag : null;
      parts.push(reply.body);
      have += reply.body.length;
      this.stats.bytes += reply.body.length;
      if (!reply.cut) break;
      this.stats.resumes++;
    }
    this.stats.downloads++;
    const body = Buffer.concat(parts);
    const sha = createHash("sha256").update(body).digest("hex");
    return { ok: body.length === size && (etag === null || etag === `"${sha}"`) };
  }

  private async sendInventories(pollXml: string, now: Date): Promise<void> {
    // The first cycle sends both reports when enabled; later ones at the server's interval.
    const sw = pollXml.match(/<SoftwareInventorySettings[^>]*>[\s\S]*?<Enabled>(\w+)<\/Enabled>[\s\S]*?<Interval>([^<]+)<\/Interval>/);
    const hw = pollXml.match(/<MachineInventorySettings[^>]*>[\s\S]*?<Enabled>(\w+)<\/Enabled>[\s\S]*?<Interval>([^<]+)<\/Interval>/);
    const interval = Math.min(seconds(sw?.[2] ?? null) ?? Infinity, seconds(hw?.[2] ?? null) ?? Infinity);
    if (this.lastInventory !== 0 && now.getTime() - this.lastInventory < interval * 1000) return;
    this.lastInventory = now.getTime();
    if (sw?.[1]?.toLowerCase() === "true") {
      const files = [...this.packages.entries()].map(([id, p]) => ({ name: `${id.slice(0, 8)}.exe`, size: p.size }));
      await this.post("Report", softwareInventory(files), { "X-Device-ReportType": "SoftwareInventory" });
      this.stats.inventories++;
    }
    if (hw?.[1]?.toLowerCase() === "true") {
      await this.post("Report", machineInventory({ platform: this.platform, name: this.name, ip: this.ip, clientVersion: this.clientVersion }), { "X-Device-ReportType": "MachineInventory" });
      this.stats.inventories++;
    }
  }
}

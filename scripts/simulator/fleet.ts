/**
 * A fleet of simulated CE clients against one server: each device runs its poll cycles
 * (device.ts), at most `concurrency` at a time, with jitter between cycles; progress is
 * printed while it runs and a summary of what every device saw at the end.
 */
import { randomUUID } from "node:crypto";
import { SimulatedDevice, type Behaviour, type DeviceStats } from "./device";
import { agent } from "./wire";

export type FleetOptions = {
  server: string;
  devices: number;
  /** Existing devices (UUID and token, and what a saved run knew); otherwise new devices enroll with the secret. */
  credentials?: DeviceState[];
  enrollmentSecret?: string;
  uuidPrefix?: string;
  rounds: number;
  /** Pause between a device's cycles, ms (0: none; -1: the PollInterval the server sent). */
  intervalMs: number;
  jitterMs: number;
  concurrency: number;
  failRate: number;
  dropRate: number;
  duplicateRate: number;
  outOfOrderRate: number;
  seed: number;
  progress?: (line: string) => void;
  /** Called after every round of every device (tests use it to act between rounds). */
  afterRound?: (round: number) => Promise<void>;
  /** Receives every device's state at the end (to save it for the next run). */
  onDone?: (states: DeviceState[]) => void;
};

export type DeviceState = { uuid: string; token: string; cursor?: string; packages?: [string, { size: number }][] };

export type FleetSummary = {
  devices: DeviceStats[];
  totals: Omit<DeviceStats, "uuid" | "errors" | "enrolled"> & { enrolled: number; errors: number; seconds: number };
};

/** mulberry32: a seeded generator, so a run with the same --seed behaves the same. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The device endpoint a CE client builds from a host name (SvrFmt), unless the URL names a path. */
export function endpointUrl(server: string): URL {
  const url = new URL(server);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/devicemgmt/server.aspx";
  return url;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Devices that already exist (the tests' own): one round, no pauses, a well-behaved network,
 * unless `o` says otherwise.
 */
export function runKnownDevices(server: string, devices: { deviceUuid: string; token: string }[], o: Partial<FleetOptions> & { seed: number }): Promise<FleetSummary> {
  return runFleet({
    server,
    devices: devices.length,
    credentials: devices.map((d) => ({ uuid: d.deviceUuid, token: d.token })),
    rounds: 1,
    intervalMs: 0,
    jitterMs: 0,
    concurrency: 4,
    failRate: 0,
    dropRate: 0,
    duplicateRate: 0,
    outOfOrderRate: 0,
    ...o,
  });
}

export async function runFleet(o: FleetOptions): Promise<FleetSummary> {
  const random = seededRandom(o.seed);
  const behaviour: Behaviour = { failRate: o.failRate, dropRate: o.dropRate, duplicateRate: o.duplicateRate, outOfOrderRate: o.outOfOrderRate, random };
  const prefix = o.uuidPrefix ?? `SIM-${randomUUID().slice(0, 8).toUpperCase()}`;
  const endpoint = endpointUrl(o.server);
  const devices = Array.from({ length: o.devices }, (_, i) => {
    const known = o.credentials?.[i];
    const uuid = known?.uuid ?? `${prefix}-${String(i).padStart(7, "0")}`;
    const token = known?.token ?? o.enrollmentSecret ?? "";
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const device = new SimulatedDevice(endpoint, uuid, token, `Simulated device ${i}`, ip, behaviour);
    device.cursor = known?.cursor ?? "";
    for (const [id, p] of known?.packages ?? []) device.packages.set(id, p);
    return device;
  });
  const started = Date.now();
  const interval = { value: o.intervalMs };

  const ticker = setInterval(() => o.progress?.(progressLine(devices, started)), 1000);
  try {
    for (let round = 0; round < o.rounds; round++) {
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < devices.length; i = next++) {
          if (o.jitterMs > 0) await sleep(random() * o.jitterMs);
          try {
            const asked = await devices[i]!.cycle();
            if (o.intervalMs < 0 && asked !== null) interval.value = asked * 1000;
          } catch (error) {
            devices[i]!.stats.errors.push((error as Error).message);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(o.concurrency, devices.length) }, worker));
      await o.afterRound?.(round);
      if (round + 1 < o.rounds && interval.value > 0) await sleep(interval.value);
    }
  } finally {
    clearInterval(ticker);
    agent.destroy();
  }
  o.progress?.(progressLine(devices, started));
  o.onDone?.(devices.map((d) => ({ uuid: d.uuid, token: d.token, cursor: d.cursor, packages: [...d.packages.entries()] })));
  return summarize(devices, started);
}

function progressLine(devices: SimulatedDevice[], started: number): string {
  const t = summarize(devices, started).totals;
  return `[${t.seconds.toFixed(0)} s] polls ${t.polls}, enrolled ${t.enrolled}, installed ${t.installed}, failed ${t.downloadFailures + t.reportedFailures}, resumes ${t.resumes}, reports ${t.reports}, ${(t.bytes / 1048576).toFixed(1)} MiB, errors ${t.errors}`;
}

function summarize(devices: SimulatedDevice[], started: number): FleetSummary {
  const stats = devices.map((d) => d.stats);
  const sum = (k: "polls" | "packagesListed" | "installed" | "removed" | "downloads" | "downloadFailures" | "reportedFailures" | "resumes" | "bytes" | "reports" | "inventories") =>
    stats.reduce((n, s) => n + s[k], 0);
  return {
    devices: stats,
    totals: {
      polls: sum("polls"),
      enrolled: stats.filter((s) => s.enrolled).length,
      packagesListed: sum("packagesListed"),
      installed: sum("installed"),
      removed: sum("removed"),
      downloads: sum("downloads"),
      downloadFailures: sum("downloadFailures"),
      reportedFailures: sum("reportedFailures"),
      resumes: sum("resumes"),
      bytes: sum("bytes"),
      reports: sum("reports"),
      inventories: sum("inventories"),
      errors: stats.reduce((n, s) => n + s.errors.length, 0),
      seconds: (Date.now() - started) / 1000,
    },
  };
}

/**
 * `npm run simulate -- --devices N --server URL …`: a fleet of simulated Windows CE Device
 * Management Clients (scripts/simulator) that enroll or use given tokens, poll, request
 * instructions and locations, download for real over HTTP (resuming with Range after a cut
 * connection, checking length and SHA-256), and send status reports and inventories.
 *
 *   --server URL            the console's base URL (devices post to /devicemgmt/server.aspx)  [http://localhost:$PORT, else :3000]
 *   --devices N             how many devices                                                  [10]
 *   --enrollment-secret S   new devices enroll with the server's DEPLOYDESK_ENROLLMENT_SECRET
 *   --devices-file F        existing devices instead: one "UUID TOKEN" per line
 *   --uuid-prefix P         UUIDs of enrolled devices are P-0000000, P-0000001, …             [SIM-<random>]
 *   --rounds R              poll cycles per device                                            [1]
 *   --interval MS           pause between cycles; -1 = the PollInterval the server sends      [0]
 *   --jitter MS             random delay before each device's cycle                          [0]
 *   --concurrency C         devices talking at once                                           [32]
 *   --fail-rate X           share of downloads reported failed (11032)                        [0]
 *   --drop-rate X           share of downloads whose connection breaks (then resumed)         [0]
 *   --duplicate-rate X      share of status documents sent twice                              [0]
 *   --out-of-order-rate X   share of packages whose reports arrive in reverse order           [0]
 *   --seed N                random seed                                                       [1]
 *   --state F               keep each device's token, cursor and packages in F between runs
 *   --json                  print the summary as JSON
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runFleet, type DeviceState } from "./simulator/fleet";
import { printHelpIfAsked } from "./lib/help";

printHelpIfAsked(import.meta.url);

const { values } = parseArgs({
  options: {
    server: { type: "string", default: `http://localhost:${process.env.PORT || 3000}` },
    devices: { type: "string", default: "10" },
    "enrollment-secret": { type: "string" },
    "devices-file": { type: "string" },
    "uuid-prefix": { type: "string" },
    rounds: { type: "string", default: "1" },
    interval: { type: "string", default: "0" },
    jitter: { type: "string", default: "0" },
    concurrency: { type: "string", default: "32" },
    "fail-rate": { type: "string", default: "0" },
    "drop-rate": { type: "string", default: "0" },
    "duplicate-rate": { type: "string", default: "0" },
    "out-of-order-rate": { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
    json: { type: "boolean", default: false },
    state: { type: "string" },
  },
});

const saved = values.state && existsSync(values.state) ? (JSON.parse(readFileSync(values.state, "utf8")) as DeviceState[]) : undefined;
const credentials = saved ?? (values["devices-file"]
  ? readFileSync(values["devices-file"], "utf8")
      .split("\n")
      .map((l) => l.trim().split(/\s+/))
      .filter((p) => p.length === 2)
      .map(([uuid, token]) => ({ uuid: uuid!, token: token! }))
  : undefined);
if (!credentials && !values["enrollment-secret"]) {
  console.error("Give --enrollment-secret (new devices enroll) or --devices-file (existing devices and their tokens).");
  process.exit(2);
}

const summary = await runFleet({
  server: values.server!,
  devices: credentials ? Math.min(Number(values.devices), credentials.length) : Number(values.devices),
  credentials,
  enrollmentSecret: values["enrollment-secret"],
  uuidPrefix: values["uuid-prefix"],
  rounds: Number(values.rounds),
  intervalMs: Number(values.interval),
  jitterMs: Number(values.jitter),
  concurrency: Number(values.concurrency),
  failRate: Number(values["fail-rate"]),
  dropRate: Number(values["drop-rate"]),
  duplicateRate: Number(values["duplicate-rate"]),
  outOfOrderRate: Number(values["out-of-order-rate"]),
  seed: Number(values.seed),
  progress: values.json ? undefined : (line) => console.log(line),
  onDone: values.state ? (states) => writeFileSync(values.state!, JSON.stringify(states, null, 1)) : undefined,
});

if (values.json) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const t = summary.totals;
  console.log(`\n${summary.devices.length} devices, ${t.seconds.toFixed(1)} s: ${t.polls} polls, ${t.enrolled} enrolled, ${t.installed} packages installed, ` +
    `${t.downloadFailures} downloads failed, ${t.reportedFailures} reported failed, ${t.resumes} resumed, ${t.removed} removed, ${t.reports} status reports, ${t.inventories} inventories, ${t.errors} errors`);
  console.log("device".padEnd(28), "polls", "listed", "installed", "failed", "resumes", "errors");
  for (const d of summary.devices.slice(0, 20)) {
    console.log(d.uuid.padEnd(28), String(d.polls).padStart(5), String(d.packagesListed).padStart(6), String(d.installed).padStart(9), String(d.downloadFailures + d.reportedFailures).padStart(6), String(d.resumes).padStart(7), String(d.errors.length).padStart(6));
  }
  if (summary.devices.length > 20) console.log(`… ${summary.devices.length - 20} more (--json for all)`);
  for (const d of summary.devices.filter((x) => x.errors.length > 0).slice(0, 5)) console.log(`${d.uuid}: ${d.errors[0]}`);
}
process.exit(summary.totals.errors > 0 ? 1 : 0);

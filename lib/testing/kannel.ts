/**
 * A real Kannel 1.4.5 (Debian's `kannel` package) for the integration and end-to-end tests:
 * bearerbox with a fake SMSC that the test itself plays (FakeSmsc), smsbox for sendsms and DLR
 * callbacks, wapbox with the PPG for WAP push. Each instance has its own run directory and its
 * own free ports, so several can run at once and none collides with a system Kannel on
 * 13000/13002. The Kannel behaviour it relies on was tried on Debian 12's 1.4.5 and is noted
 * where it matters.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { FakeSmsc } from "./fake-smsc";

export { FakeSmsc, type SmscMessage } from "./fake-smsc";

export type KannelBox = "bearerbox" | "smsbox" | "wapbox";

export type KannelOptions = {
  /**
   * PPG accepts any or no credentials. Without it, about 3 failed logins in a row lock the IP out,
   * correct credentials included, for a minute or more: auth-failure tests want an instance of their own.
   */
  trustedPi?: boolean;
  /** Sender of sendsms messages without `from`, and of PPG pushes without X-Kannel-From. */
  sender?: string;
  /** Where bearerbox, smsbox and wapbox are; Debian puts them in /usr/sbin. */
  binDir?: string;
  readyTimeoutMs?: number;
  /** Kannel's log-level for the log files: 0 debug (every PDU, the useful one on failure) … 4 panic. */
  logLevel?: number;
};

export type KannelPorts = { admin: number; smsbox: number; wapbox: number; smsc: number; sendsms: number; ppg: number };

export type KannelInstance = {
  runDir: string;
  ports: KannelPorts;
  /**
   * `http://127.0.0.1:<port>/cgi-bin/sendsms?username=…&password=…`, the form of
   * DEPLOYDESK_KANNEL_SENDSMS_URL: append `&to=…&text=…`. A GET with every octet as %XX carries
   * binary byte for byte; a POST ignores the query string (403 without X-Kannel-Username and
   * X-Kannel-Password headers), so this URL is meant for GET.
   */
  sendsmsUrl: string;
  /**
   * `http://127.0.0.1:<port>/wappush?username=…&password=…`, the form of DEPLOYDESK_KANNEL_PPG_URL.
   * Kannel's PPG sends no PAP result notification (ppg-notify-requested-to is parsed, never used)
   * and never sends a `confirmed` push over SMS (202 and code 1001 all the same); an
   * `unconfirmed` push with X-Kannel-DLR-Url / X-Kannel-DLR-Mask gets DLRs 8 and 1 like sendsms.
   */
  ppgUrl: string;
  /** The same credentials for HTTP Basic, which the PPG also takes; not required, the query string is enough. */
  ppgCredentials: { username: string; password: string; basicAuthRequired: false };
  sender: string;
  smscId: string;
  smsc: FakeSmsc;
  /** bearerbox's status.txt, for readiness and for failure messages. */
  status(): Promise<string>;
  /** All three boxes down (clean SIGTERM), ports closed; the fake SMSC keeps trying to reconnect. */
  stopGateway(): Promise<void>;
  /** The same configuration on the same ports again; resolves when ready as after startKannel. */
  startGateway(): Promise<void>;
  restart(): Promise<void>;
  /**
   * One box alone down or up. What Kannel then does by itself: with bearerbox killed (SIGKILL, a
   * crash) smsbox closes sendsms at once (connection refused), and smsbox and wapbox sleep 10 s and
   * start again; they reconnect if bearerbox is back by then (startBox("bearerbox") is ready about
   * 11.5 s after the crash), else they PANIC and stay down. With bearerbox sent SIGTERM alone,
   * smsbox is told to stop and bearerbox waits for wapbox, until the 5 s SIGKILL here.
   */
  stopBox(box: KannelBox, signal?: NodeJS.Signals): Promise<void>;
  startBox(box: KannelBox): Promise<void>;
  /** Whether the box's process is alive (a box can end on its own when bearerbox goes). */
  running(box: KannelBox): boolean;
  /** The last lines of every log in the run directory, for a failing test's message. */
  logs(tailLines?: number): string;
  /** bearerbox's access.log (every SMS to and from the SMSC) or smsbox's (every sendsms request and MO). */
  accessLog(which?: "bearerbox" | "smsbox"): string[];
  stop(): Promise<void>;
};

/** Set to keep the run directory (config, logs) after stop(). */
export const KEEP_ENV = "DEPLOYDESK_KEEP_KANNEL";

const USER = { sendsms: ["tester", "secret"], ppg: ["pushuser", "pushpw"], status: "statuspw", admin: "adminpw" } as const;
const SMSC_ID = "fake1";
const SMSBOX_ID = "sbox1";
const STOP_TIMEOUT_MS = 5_000;
const BOXES: readonly KannelBox[] = ["bearerbox", "smsbox", "wapbox"];

class KannelError extends Error {}
class PortTaken extends KannelError {}

export async function startKannel(options: KannelOptions = {}): Promise<KannelInstance> {
  const binDir = options.binDir ?? "/usr/sbin";
  const missing = BOXES.filter((b) => !existsSync(path.join(binDir, b)));
  if (missing.length) {
    // CI installs it (.ci/run), so a missing Kannel is a broken machine: fail, do not skip.
    throw new Error(`Kannel is not installed (${missing.join(", ")} missing in ${binDir}): install Debian's kannel package: apt-get install kannel`);
  }
  // A port released by freePorts can be taken by someone else before Kannel binds it; fresh ones then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(binDir, options);
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt === 3) throw e;
    }
  }
}

async function launch(binDir: string, options: KannelOptions): Promise<KannelInstance> {
  const sender = options.sender ?? "12345";
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const runDir = mkdtempSync(path.join(tmpdir(), "deploydesk-kannel-"));
  const ports = await freePorts();
  const conf = path.join(runDir, "kannel.conf");
  writeFileSync(conf, kannelConf(runDir, ports, { sender, trustedPi: options.trustedPi ?? false, logLevel: options.logLevel ?? 0 }));

  // What should be up; a box that dies on its own while wanted fails the readiness wait.
  const wanted = new Set<KannelBox>();
  const spawned = new Map<KannelBox, ChildProcess>();
  const smsc = new FakeSmsc(ports.smsc);
  const statusUrl = `http://127.0.0.1:${ports.admin}/status.txt?password=${USER.status}`;
  const pids = (box?: KannelBox) => boxProcesses(binDir, conf).filter((p) => !box || p.box === box);
  const alive = (box: KannelBox) => {
    const child = spawned.get(box);
    // A box that lost bearerbox forks a successor and exits (see terminate), so a gone child is not yet a gone box.
    return (!!child && child.exitCode === null && !child.signalCode) || pids(box).length > 0;
  };

  const status = async () => {
    const res = await fetch(statusUrl, { signal: AbortSignal.timeout(2_000) });
    return res.text();
  };

  const logs = (tailLines = 40) =>
    readdirSync(runDir)
      .filter((f) => f.endsWith(".log") || f.endsWith(".out"))
      .sort()
      .map((f) => `--- ${f}\n${readFileSync(path.join(runDir, f), "utf8").split("\n").slice(-tailLines).join("\n")}`)
      .join("\n");

  const fail = (why: string): never => {
    const text = `Kannel (${runDir}): ${why}\n${logs()}`;
    throw bindFailed() ? new PortTaken(text) : new KannelError(text);
  };
  // Where each box's output of its latest start begins, to tell its own "bind failed" from an earlier one.
  const outStart = new Map<KannelBox, number>();
  const bindFailed = () =>
    [...outStart].some(([box, offset]) => readFileSync(path.join(runDir, `${box}.out`), "utf8").slice(offset).includes("Address already in use"));
  // A check that already failed with the logs attached goes through as it is.
  const failWith = (why: (e: Error) => string) => (e: Error) => (e instanceof KannelError ? Promise.reject(e) : fail(why(e)));

  const spawnBox = async (box: KannelBox) => {
    wanted.add(box);
    if (alive(box)) return;
    const out = path.join(runDir, `${box}.out`);
    const offset = existsSync(out) ? statSync(out).size : 0;
    outStart.set(box, offset);
    const fd = openSync(out, "a");
    // -v 1: info on stdout, where bearerbox announces "Start-up done"; the log files get log-level.
    const child = spawn(path.join(binDir, box), ["-v", "1", conf], { stdio: ["ignore", fd, fd] });
    closeSync(fd);
    spawned.set(box, child);
    if (box !== "bearerbox") return;
    // smsbox and wapbox PANIC when bearerbox is not listening yet, so the order matters.
    await poll(readyTimeoutMs, () => {
      if (child.exitCode !== null || child.signalCode) fail(`bearerbox exited (${child.exitCode ?? child.signalCode}) during start-up`);
      if (bindFailed()) fail("a port is taken");
      return readFileSync(out, "utf8").slice(offset).includes("Start-up done");
    }).catch(failWith((e) => `bearerbox start-up: ${e.message}`));
  };

  const stopBox = async (box: KannelBox, signal: NodeJS.Signals = "SIGTERM") => {
    wanted.delete(box);
    await terminate(() => pids(box).map((p) => p.pid), signal);
    spawned.delete(box);
  };

  const waitReady = async () => {
    if (wanted.has("bearerbox")) await smsc.whenConnected(readyTimeoutMs).catch(failWith((e) => e.message));
    let last = "";
    await poll(readyTimeoutMs, async () => {
      for (const box of wanted) if (!alive(box)) fail(`${box} exited`);
      // A box that cannot bind its HTTP port may live on without it.
      if (bindFailed()) fail("a port is taken");
      if (!wanted.has("bearerbox")) return true;
      last = await status().catch(() => "");
      return (
        new RegExp(`^\\s*${SMSC_ID}\\[${SMSC_ID}\\].*\\(online`, "m").test(last) &&
        (!wanted.has("smsbox") || last.includes(`smsbox:${SMSBOX_ID}`)) &&
        (!wanted.has("wapbox") || /^\s*wapbox/m.test(last))
      );
    }).catch(failWith((e) => `${e.message}; last status.txt:\n${last}`));
    // The PPG port opens before wapbox has reached bearerbox, and an HTTP probe without
    // credentials counts towards the PPG's lockout (see trustedPi): a bare TCP connect only.
    if (wanted.has("wapbox")) await poll(readyTimeoutMs, () => canConnect(ports.ppg)).catch(failWith((e) => `PPG port: ${e.message}`));
    if (wanted.has("smsbox")) await poll(readyTimeoutMs, () => canConnect(ports.sendsms)).catch(failWith((e) => `sendsms port: ${e.message}`));
  };

  const startGateway = async () => {
    await spawnBox("bearerbox");
    await Promise.all([spawnBox("smsbox"), spawnBox("wapbox")]);
    await waitReady();
  };

  const stopGateway = async () => {
    // wapbox and smsbox first: a bearerbox told to stop waits for ever for a wapbox still up.
    await Promise.all([stopBox("wapbox"), stopBox("smsbox")]);
    await stopBox("bearerbox");
  };

  live.set(conf, binDir);
  registerExitHook();
  try {
    await startGateway();
  } catch (e) {
    await stopGateway().catch(() => undefined);
    await smsc.close();
    live.delete(conf);
    if (!process.env[KEEP_ENV]) rmSync(runDir, { recursive: true, force: true });
    throw e;
  }

  const [sendsmsUser, sendsmsPassword] = USER.sendsms;
  const [ppgUser, ppgPassword] = USER.ppg;
  return {
    runDir,
    ports,
    sendsmsUrl: `http://127.0.0.1:${ports.sendsms}/cgi-bin/sendsms?username=${sendsmsUser}&password=${sendsmsPassword}`,
    ppgUrl: `http://127.0.0.1:${ports.ppg}/wappush?username=${ppgUser}&password=${ppgPassword}`,
    ppgCredentials: { username: ppgUser, password: ppgPassword, basicAuthRequired: false },
    sender,
    smscId: SMSC_ID,
    smsc,
    status,
    stopGateway,
    startGateway,
    restart: async () => {
      await stopGateway();
      await startGateway();
    },
    stopBox,
    startBox: async (box) => {
      await spawnBox(box);
      await waitReady();
    },
    running: alive,
    logs,
    accessLog: (which = "bearerbox") => {
      const file = path.join(runDir, which === "bearerbox" ? "access.log" : "smsbox-access.log");
      return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
    },
    stop: async () => {
      await stopGateway();
      await smsc.close();
      live.delete(conf);
      if (process.env[KEEP_ENV]) console.error(`Kannel run directory kept: ${runDir}`);
      else rmSync(runDir, { recursive: true, force: true });
    },
  };
}

function kannelConf(runDir: string, ports: KannelPorts, o: { sender: string; trustedPi: boolean; logLevel: number }): string {
  const file = (name: string) => JSON.stringify(path.join(runDir, name));
  // Kannel expands no variables, hence absolute paths. Every listener Kannel can bind to
  // an interface is on loopback; the wapbox and PPG ports cannot be and are on 0.0.0.0 with
  // allow-ip lists instead. No wdp-interface-name: no UDP listeners.
  return `group = core
admin-port = ${ports.admin}
admin-interface = 127.0.0.1
admin-password = ${USER.admin}
status-password = ${USER.status}
admin-allow-ip = "127.0.0.1"
smsbox-port = ${ports.smsbox}
smsbox-interface = 127.0.0.1
wapbox-port = ${ports.wapbox}
box-deny-ip = "*.*.*.*"
box-allow-ip = "127.0.0.1"
log-file = ${file("bearerbox.log")}
log-level = ${o.logLevel}
access-log = ${file("access.log")}
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = ${SMSC_ID}
port = ${ports.smsc}
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1

group = smsbox
smsbox-id = ${SMSBOX_ID}
bearerbox-host = 127.0.0.1
bearerbox-port = ${ports.smsbox}
sendsms-port = ${ports.sendsms}
sendsms-interface = 127.0.0.1
global-sender = ${o.sender}
log-file = ${file("smsbox.log")}
log-level = ${o.logLevel}
access-log = ${file("smsbox-access.log")}

# Without a route bearerbox keeps MO from the fake SMSC queued for an smsbox without an id,
# never hands it to sbox1, and then waits for that queue on shutdown.
group = smsbox-route
smsbox-id = ${SMSBOX_ID}
smsc-id = ${SMSC_ID}

group = sendsms-user
username = ${USER.sendsms[0]}
password = ${USER.sendsms[1]}
max-messages = 10
concatenation = true

# smsbox wants a service; this one answers no MO.
group = sms-service
keyword = default
text = "No service"
catch-all = true
max-messages = 0

group = wapbox
bearerbox-host = 127.0.0.1
log-file = ${file("wapbox.log")}
log-level = ${o.logLevel}

# No ppg-deny-ip: with "*.*.*.*" wapbox PANICs on the first request.
group = ppg
ppg-url = /wappush
ppg-port = ${ports.ppg}
trusted-pi = ${o.trustedPi}
ppg-allow-ip = "127.0.0.1"
default-smsc = ${SMSC_ID}
ppg-smsbox-id = ${SMSBOX_ID}
global-sender = ${o.sender}
service-name = ppg
concurrent-pushes = 10
users = 10

group = wap-push-user
wap-push-user = ci
ppg-username = ${USER.ppg[0]}
ppg-password = ${USER.ppg[1]}
allow-ip = "127.0.0.1"
`;
}

/**
 * Fresh ports from the kernel, all held at once so they differ, then released for Kannel. The
 * wapbox and PPG ports are taken on 0.0.0.0 because that is where Kannel binds them.
 */
async function freePorts(): Promise<KannelPorts> {
  const names = ["admin", "smsbox", "wapbox", "smsc", "sendsms", "ppg"] as const;
  const servers = await Promise.all(
    names.map(
      (n) =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once("error", reject).listen(0, n === "wapbox" || n === "ppg" ? "0.0.0.0" : "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = Object.fromEntries(names.map((n, i) => [n, (servers[i]!.address() as net.AddressInfo).port])) as KannelPorts;
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

async function poll(timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * This instance's box processes, found by their command line, which names the instance's own
 * kannel.conf in its own temp directory. Child PIDs alone are not enough: smsbox and wapbox that
 * lose bearerbox without being told to stop sleep 10 s, then fork a successor (parent init, not
 * us) and exit 0 ("Bearerbox is gone, restarting", smsbox.c main).
 */
function boxProcesses(binDir: string, conf: string): { box: KannelBox; pid: number }[] {
  const found: { box: KannelBox; pid: number }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue; // exited meanwhile
    }
    // A zombie's cmdline is empty, so only processes still running match.
    if (argv.at(-1) === "") argv.pop();
    if (argv.at(-1) !== conf) continue;
    const box = BOXES.find((b) => argv[0] === path.join(binDir, b));
    if (box) found.push({ box, pid: Number(entry) });
  }
  return found;
}

/**
 * Signals the processes and waits for them to go, SIGKILL after a timeout. A process that shows
 * up meanwhile is a successor being forked by a box woken from its restart sleep: killed outright.
 */
async function terminate(find: () => number[], signal: NodeJS.Signals): Promise<void> {
  const signalled = new Set<number>();
  const until = Date.now() + STOP_TIMEOUT_MS;
  for (;;) {
    const now = find();
    if (now.length === 0) return;
    const successor = signalled.size > 0;
    for (const pid of now) {
      if (!signalled.has(pid)) send(pid, successor ? "SIGKILL" : signal);
      else if (Date.now() > until) send(pid, "SIGKILL");
      signalled.add(pid);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Boxes still running when the test process ends (a crash, a worker torn down) would hold
// their ports and CPU for ever; kill what is left on the way out.
const live = new Map<string, string>(); // conf → binDir
let exitHook = false;
function registerExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => {
    for (const [conf, binDir] of live) for (const { pid } of boxProcesses(binDir, conf)) send(pid, "SIGKILL");
  });
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}


/**
 * Server-wide options an Admin changes on the settings page (server_settings key
 * `server_options`), over defaults from the environment: whether devices may enroll with the
 * enrollment secret, how long a download link lives, after how many days device tokens are
 * rotated, the OMA DM bootstrap's security and timeout, and housekeeping's limits. The device path reads them on every request, so each process keeps them for a
 * few seconds: a change reaches every app node within OPTIONS_TTL_MS without a query per poll.
 */
import { sql, statement } from "@/lib/db/sql";
import { BOOTSTRAP_SECURITY, type BootstrapSecurity } from "./settings-schemas";

export type ServerOptions = {
  /** Effective only when DEPLOYDESK_ENROLLMENT_SECRET is set: the secret stays in the environment. */
  enrollmentEnabled: boolean;
  linkLifetimeSeconds: number;
  /** 0 = never rotate. */
  tokenRotationDays: number;
  /**
   * How the bootstrap is signed (OMA ProvBoot): with a PIN the administrator gives the device's
   * user (USERPIN), or that PIN plus check digits (USERPINMAC). The network-PIN methods need the
   * SIM's IMSI, which no device reports to DeployDesk.
   */
  bootstrapSecurity: BootstrapSecurity;
  bootstrapPin: string;
  /** A bootstrap without an OMA DM session after this long has failed: its jobs fall back. */
  bootstrapTimeoutHours: number;
  /** An unfinished job with no change for this long becomes Unknown status. */
  stuckJobDays: number;
  /** Installation-log rows older than this are deleted. */
  logRetentionDays: number;
};

const isSecurity = (v: unknown): v is BootstrapSecurity => (BOOTSTRAP_SECURITY as readonly unknown[]).includes(v);
const isPin = (v: unknown): v is string => typeof v === "string" && /^\d{4,16}$/.test(v);

const OPTIONS_TTL_MS = 5_000;

function positiveInt(value: unknown, fallback: number, min = 1): number {
  const n = typeof value === "string" && value !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= min ? n : fallback;
}

/** Days may be fractional in the environment (tests rotate after milliseconds). */
function days(value: unknown, fallback: number): number {
  const n = typeof value === "string" && value !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** What applies when nobody has saved settings: the environment, then the DME defaults. */
export function environmentOptions(env: Record<string, string | undefined> = process.env): ServerOptions {
  return {
    enrollmentEnabled: true,
    linkLifetimeSeconds: positiveInt(env.DEPLOYDESK_LINK_LIFETIME_SECONDS, 60 * 60),
    tokenRotationDays: days(env.DEPLOYDESK_TOKEN_ROTATION_DAYS, 30),
    bootstrapSecurity: isSecurity(env.DEPLOYDESK_BOOTSTRAP_SECURITY) ? env.DEPLOYDESK_BOOTSTRAP_SECURITY : "USERPIN",
    // Kannel's and most handsets' default user PIN; an Admin sets the fleet's own.
    bootstrapPin: isPin(env.DEPLOYDESK_BOOTSTRAP_PIN) ? env.DEPLOYDESK_BOOTSTRAP_PIN : "1234",
    bootstrapTimeoutHours: positiveInt(env.DEPLOYDESK_BOOTSTRAP_TIMEOUT_HOURS, 24),
    stuckJobDays: positiveInt(env.DEPLOYDESK_STUCK_JOB_DAYS, 14),
    logRetentionDays: positiveInt(env.DEPLOYDESK_LOG_RETENTION_DAYS, 180),
  };
}

/** Stored JSON over the defaults; what is missing or malformed falls back, so a bad row never breaks the device path. */
export function mergeServerOptions(base: ServerOptions, stored: unknown): ServerOptions {
  const o = (stored && typeof stored === "object" ? stored : {}) as Record<string, unknown>;
  return {
    enrollmentEnabled: typeof o.enrollmentEnabled === "boolean" ? o.enrollmentEnabled : base.enrollmentEnabled,
    linkLifetimeSeconds: positiveInt(o.linkLifetimeSeconds, base.linkLifetimeSeconds, 60),
    tokenRotationDays: days(o.tokenRotationDays, base.tokenRotationDays),
    bootstrapSecurity: isSecurity(o.bootstrapSecurity) ? o.bootstrapSecurity : base.bootstrapSecurity,
    bootstrapPin: isPin(o.bootstrapPin) ? o.bootstrapPin : base.bootstrapPin,
    bootstrapTimeoutHours: positiveInt(o.bootstrapTimeoutHours, base.bootstrapTimeoutHours),
    stuckJobDays: positiveInt(o.stuckJobDays, base.stuckJobDays),
    logRetentionDays: positiveInt(o.logRetentionDays, base.logRetentionDays),
  };
}

const readOptionsSql = statement<{ value: unknown }>("settings_read_server_options", `SELECT value FROM server_settings WHERE key = 'server_options'`);

// Only the stored row is cached; the environment is read on every call.
const g = globalThis as unknown as { deploydeskServerOptions?: { at: number; stored: Promise<unknown> } };

export async function serverOptions(now = Date.now()): Promise<ServerOptions> {
  let cached = g.deploydeskServerOptions;
  if (!cached || now - cached.at >= OPTIONS_TTL_MS) {
    const stored = sql()
      .query(readOptionsSql, [])
      .then((rows) => rows[0]?.value);
    cached = g.deploydeskServerOptions = { at: now, stored };
    stored.catch(() => {
      if (g.deploydeskServerOptions?.stored === stored) g.deploydeskServerOptions = undefined;
    });
  }
  return mergeServerOptions(environmentOptions(), await cached.stored);
}

/** After this process saved new options (or a test changed the environment): the next request reads them again. */
export function forgetServerOptions(): void {
  g.deploydeskServerOptions = undefined;
}

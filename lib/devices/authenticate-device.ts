/**
 * Device identity (protocol §3): `X-Device-UUID` names the device, `X-Device-Auth` proves it.
 *
 * - A device registered in advance has its token (set by an administrator or the seed).
 * - An unknown device may enroll on its first poll by presenting the server's enrollment secret
 *   (`DEPLOYDESK_ENROLLMENT_SECRET`; enrollment is off when unset, or when an Admin turned it
 *   off in the server settings). It is answered with its own
 *   token in the `X-Device-Auth` response header and must use that from then on.
 * - Tokens the server issues (at enrollment, or when it rotates an old token on a poll) are
 *   pending until the device first uses them; only then are its other tokens revoked. So a lost
 *   response never locks a device out: it goes on with the token (or, before its first token
 *   was ever used, the secret) it has, and gets a new one.
 *
 * Tokens are stored as SHA-256 and compared in constant time. Every refusal is an
 * UNKNOWN_DEVICE or WRONG_TOKEN AppError: the endpoint answers a bare 401 and logs the reason.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { sql, statement, type Sql } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { serverOptions, type ServerOptions } from "@/lib/settings/server-options";
import { hashDeviceToken } from "./credentials";

export type AuthenticatedDevice = {
  id: number;
  deviceUuid: string;
  clientVersion: string | null;
  /** A token issued with this request (enrollment or rotation): the response must carry it. */
  issuedToken: string | null;
};

type Credential = { id: number; hash: string; confirmed: boolean; createdAt: Date };

/** Issued tokens a device may hold unconfirmed at once (answers lost, polls overlapping). */
const MAX_PENDING_TOKENS = 3;
type Row = { id: number; deviceUuid: string; clientVersion: string | null; enrolled: boolean; credentials: Credential[] | null };

const findDeviceSql = statement<Row>(
  "devices_authenticate",
  `SELECT d.id, d.device_uuid AS "deviceUuid", d.client_version AS "clientVersion", d.enrolled_at IS NOT NULL AS enrolled,
          (SELECT json_agg(json_build_object('id', c.id, 'hash', c.token_hash, 'confirmed', c.confirmed_at IS NOT NULL, 'createdAt', c.created_at))
             FROM device_credentials c WHERE c.device_id = d.id AND c.revoked_at IS NULL) AS credentials
     FROM devices d
    WHERE d.device_uuid = $1::text`,
);

const enrollSql = statement<{ id: number }>(
  "devices_enroll",
  `INSERT INTO devices (device_uuid, name, enrolled_at, created_at, updated_at)
   VALUES ($1::text, $1::text, $2::timestamptz, $2::timestamptz, $2::timestamptz)
   ON CONFLICT (device_uuid) DO NOTHING
   RETURNING id`,
);

const issueTokenSql = statement<{ id: number }>(
  "devices_issue_token",
  // Other pending tokens stay valid: two overlapping polls each get one, and whichever answer
  // the device kept must work (the first use revokes the rest). Only the oldest beyond a few
  // are dropped, so lost answers cannot pile up.
  `WITH dropped AS (
     UPDATE device_credentials SET revoked_at = $3::timestamptz
      WHERE id IN (SELECT id FROM device_credentials WHERE device_id = $1::int AND confirmed_at IS NULL AND revoked_at IS NULL
                    ORDER BY id DESC OFFSET ${MAX_PENDING_TOKENS - 1})
   )
   INSERT INTO device_credentials (device_id, token_hash, created_at, confirmed_at) VALUES ($1::int, $2::text, $3::timestamptz, NULL)
   RETURNING id`,
);

const confirmTokenSql = statement<{ id: number }>(
  "devices_confirm_token",
  // The device has the new token: every other one goes.
  `WITH confirmed AS (
     UPDATE device_credentials SET confirmed_at = $3::timestamptz WHERE id = $2::int AND device_id = $1::int AND confirmed_at IS NULL RETURNING id
   )
   UPDATE device_credentials SET revoked_at = $3::timestamptz
    WHERE device_id = $1::int AND revoked_at IS NULL AND id <> $2::int AND EXISTS (SELECT 1 FROM confirmed)
   RETURNING id`,
);

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

function enrollmentSecret(options: ServerOptions): string | null {
  return (options.enrollmentEnabled && process.env.DEPLOYDESK_ENROLLMENT_SECRET) || null;
}

function isEnrollmentSecret(token: string, options: ServerOptions): boolean {
  const secret = enrollmentSecret(options);
  return secret !== null && sameHash(hashDeviceToken(token), hashDeviceToken(secret));
}

/** Tokens created before this are replaced on a poll at `now`; null when rotation is off. */
export function rotateTokensBefore(now: Date, options: ServerOptions): Date | null {
  const age = rotationAgeMs(options);
  return Number.isFinite(age) ? new Date(now.getTime() - age) : null;
}

/** Tokens older than this are replaced on a poll (server settings, else DEPLOYDESK_TOKEN_ROTATION_DAYS; 0 turns it off). */
function rotationAgeMs(options: ServerOptions): number {
  return options.tokenRotationDays > 0 ? options.tokenRotationDays * 86_400_000 : Number.POSITIVE_INFINITY;
}

export function newDeviceToken(): string {
  return randomBytes(24).toString("base64url");
}

async function issueToken(tx: Sql, deviceId: number, now: Date): Promise<string> {
  const token = newDeviceToken();
  await tx.query(issueTokenSql, [deviceId, hashDeviceToken(token), now]);
  return token;
}

export type AuthOptions = {
  /** Enrollment and rotation happen only on polls: only their response carries a new token. */
  isPoll: boolean;
  now?: Date;
};

/**
 * Who is calling, decided without writing anything: the endpoint parses the message before
 * `commitIdentity` writes (a token confirmed, a device enrolled, a token issued), so a request
 * refused for its content changes nothing.
 */
export type Identity =
  | { kind: "known"; device: Omit<AuthenticatedDevice, "issuedToken">; effect: "none" | "issue" | { confirm: number } }
  | { kind: "enroll"; deviceUuid: string };

export async function identifyDevice(deviceUuid: string, token: string, opts: AuthOptions): Promise<Identity> {
  const now = opts.now ?? new Date();
  const [[row], options] = await Promise.all([sql().query(findDeviceSql, [deviceUuid]), serverOptions()]);
  if (!row) {
    if (!(opts.isPoll && isEnrollmentSecret(token, options))) throw new AppError("UNKNOWN_DEVICE", `No device ${deviceUuid}${enrollmentSecret(options) ? "" : " (enrollment is off)"}.`);
    return { kind: "enroll", deviceUuid };
  }
  const hash = hashDeviceToken(token);
  const credentials = row.credentials ?? [];
  // Compare against every live token, in constant time, without stopping at the first match.
  const match = credentials.reduce<Credential | null>((found, c) => (sameHash(c.hash, hash) && !found ? c : found), null);
  const device = { id: row.id, deviceUuid: row.deviceUuid, clientVersion: row.clientVersion };
  if (!match) {
    // An enrolled device that never used its first token (that answer was lost) may enroll again.
    const neverUsed = row.enrolled && !credentials.some((c) => c.confirmed);
    if (opts.isPoll && neverUsed && isEnrollmentSecret(token, options)) return { kind: "known", device, effect: "issue" };
    throw new AppError("WRONG_TOKEN", `Wrong X-Device-Auth for device ${deviceUuid}.`);
  }
  if (!match.confirmed) return { kind: "known", device, effect: { confirm: match.id } };
  const age = now.getTime() - new Date(match.createdAt).getTime();
  return { kind: "known", device, effect: opts.isPoll && age > rotationAgeMs(options) ? "issue" : "none" };
}

/** Writes what identifying decided; the device, with a token to hand back when one was issued. */
export async function commitIdentity(identity: Identity, now: Date): Promise<AuthenticatedDevice> {
  if (identity.kind === "enroll") {
    return sql().transaction(async (tx) => {
      const [created] = await tx.query(enrollSql, [identity.deviceUuid, now]);
      // Two first polls at once: the other one enrolled it, and its answer carries the token.
      if (!created) throw new AppError("WRONG_TOKEN", `Device ${identity.deviceUuid} enrolled concurrently; the enrollment secret no longer works for it.`);
      console.log(`device ${identity.deviceUuid} enrolled`);
      return { id: created.id, deviceUuid: identity.deviceUuid, clientVersion: null, issuedToken: await issueToken(tx, created.id, now) };
    });
  }
  const { device, effect } = identity;
  if (effect === "none") return { ...device, issuedToken: null };
  if (effect === "issue") return { ...device, issuedToken: await sql().transaction((tx) => issueToken(tx, device.id, now)) };
  await sql().query(confirmTokenSql, [device.id, effect.confirm, now]);
  return { ...device, issuedToken: null };
}

/** Identify and commit at once, for callers that have nothing to check in between. */
export async function authenticateDevice(deviceUuid: string, token: string, opts: AuthOptions = { isPoll: false }): Promise<AuthenticatedDevice> {
  const now = opts.now ?? new Date();
  return commitIdentity(await identifyDevice(deviceUuid, token, { ...opts, now }), now);
}

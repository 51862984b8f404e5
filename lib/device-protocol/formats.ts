/**
 * The value formats of the CE DM protocol (protocol §2.4), both directions. Pure.
 *
 * - Durations are written like dates: `0000-00-00 01:00:00` is one hour, `0000-00-01 00:00:00`
 *   one day. Years and months have no fixed length, so only days, hours, minutes and seconds
 *   are produced; a non-zero year or month on input is refused rather than guessed.
 * - Absolute times are `YYYY-MM-DD hh:mm:ss` (device wall time, kept in a Date's UTC fields).
 * - Flags are a 32-bit mask written as four little-endian hex bytes: `03 00 00 00` = 3.
 * - Booleans are `true`/`false` in samples, `YES`/`Yes`/`No` for SourceFiles, `True` seen from
 *   a real server: read case-insensitively, written as the samples do.
 * - X-Device-Timestamp is an opaque server-owned cursor; the samples use `M/D/YYYY h:mm:ss AM`.
 */

const DAY = 86_400;

/** Seconds → `0000-00-DD hh:mm:ss`. */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isInteger(totalSeconds) || totalSeconds < 0) throw new RangeError(`not a duration in whole seconds: ${totalSeconds}`);
  const days = Math.floor(totalSeconds / DAY);
  if (days > 99) throw new RangeError(`a duration of ${days} days does not fit the protocol's two day digits`);
  const rest = totalSeconds % DAY;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `0000-00-${pad(days)} ${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
}

/** `0000-00-DD hh:mm:ss` → seconds, or null when it is not a duration this protocol can mean. */
export function parseDuration(value: string): number | null {
  const m = value.trim().match(/^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})$/);
  if (!m) return null;
  const [years, months, days, hours, minutes, seconds] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (years !== 0 || months !== 0 || minutes > 59 || seconds > 59) return null;
  return days * DAY + hours * 3600 + minutes * 60 + seconds;
}

/** 32-bit mask → `xx xx xx xx`, least significant byte first. */
export function formatFlags(mask: number): string {
  if (!Number.isInteger(mask) || mask < 0 || mask > 0xffffffff) throw new RangeError(`not a 32-bit mask: ${mask}`);
  return [0, 8, 16, 24].map((shift) => ((mask >>> shift) & 0xff).toString(16).padStart(2, "0").toUpperCase()).join(" ");
}

/** `xx xx xx xx` → mask, or null. */
export function parseFlags(value: string): number | null {
  const bytes = value.trim().split(/\s+/);
  if (bytes.length !== 4 || !bytes.every((b) => /^[0-9a-fA-F]{2}$/.test(b))) return null;
  return bytes.reduce((mask, b, i) => mask + parseInt(b, 16) * 2 ** (8 * i), 0);
}

/** The documented Flags bits (protocol §5.4). */
export const FLAG_BITS = { lowBandwidth: 0x01, highBandwidth: 0x02, cradledOnly: 0x04 } as const;

export function parseBoolean(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (v === "true" || v === "yes" || v === "1") return true;
  if (v === "false" || v === "no" || v === "0") return false;
  return null;
}

export function formatBoolean(value: boolean): string {
  return value ? "true" : "false";
}

/** SourceFiles is written `YES`/`NO`, as the only sample does. */
export function formatSourceFiles(value: boolean): string {
  return value ? "YES" : "NO";
}

/**
 * `YYYY-MM-DD hh:mm:ss` (device wall time) as a Date holding that wall time in its UTC fields,
 * or null when it does not have that shape or names an impossible date.
 */
export function parseDeviceTime(value: string | null): Date | null {
  const m = value?.trim().match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y); // Date.UTC maps years 0-99 to 1900-1999
  // Reject 2002-02-31 and friends instead of letting Date roll them over.
  // Year 0 does not exist in PostgreSQL's calendar; storing it would fail the whole report.
  return y >= 1 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? date : null;
}

/** The inverse of parseDeviceTime. */
export function formatDeviceTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** A server time as X-Device-Timestamp, in the samples' `M/D/YYYY h:mm:ss AM` form (UTC). */
export function formatCursor(date: Date): string {
  const h = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${h % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`;
}

/** Reads back a cursor this server issued (null for anything else: "", "0", a foreign value). */
export function parseCursor(value: string | null): Date | null {
  const m = value?.trim().match(/^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/);
  if (!m) return null;
  const [mo, d, y, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (h < 1 || h > 12) return null;
  const hours = (h % 12) + (m[7] === "PM" ? 12 : 0);
  const date = new Date(Date.UTC(y, mo - 1, d, hours, mi, s));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && mi < 60 && s < 60 ? date : null;
}

/**
 * Dates shown in UTC with a fixed format, so the server render and the browser hydration print
 * the same text whatever the viewer's locale or time zone.
 */
export function formatDateTime(value: Date | string | null): string {
  if (value === null) return "—";
  const iso = (typeof value === "string" ? new Date(value) : value).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** 9,448,526 bytes → "9.0 MiB": sizes as people compare them. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "—";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "just now", "4 min ago", "3 h ago", "12 days ago"; older than 60 days, the date. `now` is the
 * server's render time, passed down, so the browser's hydration prints the same words.
 */
export function formatRelativeTime(value: Date | string, now: Date | string): string {
  const at = typeof value === "string" ? new Date(value) : value;
  const ms = new Date(now).getTime() - at.getTime();
  // A device clock (or ours) a little ahead is still "just now"; far ahead is said as it is.
  if (ms < -MINUTE) return `in ${formatDuration(-ms)}`;
  if (ms < MINUTE) return "just now";
  if (ms < 60 * DAY) return `${formatDuration(ms)} ago`;
  return at.toISOString().slice(0, 10);
}

/** A span of time in the largest unit that fits: "4 min", "3 h", "12 days" (rounded down). */
export function formatDuration(ms: number): string {
  if (ms < HOUR) return `${Math.max(1, Math.floor(ms / MINUTE))} min`;
  if (ms < 2 * DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} days`;
}

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

/**
 * Dates shown in UTC with a fixed format, so the server render and the browser hydration print
 * the same text whatever the viewer's locale or time zone.
 */
export function formatDateTime(value: Date | string | null): string {
  if (value === null) return "—";
  const iso = (typeof value === "string" ? new Date(value) : value).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

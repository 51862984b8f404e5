/**
 * CSV as RFC 4180 writes it (comma, CRLF, fields quoted when they hold a comma, a quote or a
 * line break, quotes doubled), for files people open in a spreadsheet. Values a device or a
 * user wrote end up in cells, so a cell that a spreadsheet would read as a formula (=, +, -, @,
 * a tab or CR first: "=HYPERLINK(…)", "@SUM(…)") gets a leading apostrophe and stays text, as
 * OWASP's CSV-injection advice has it. Pure.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: null as empty, a formula neutralised, quoted when it must be. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with its CRLF. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

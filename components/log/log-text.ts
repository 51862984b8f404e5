/** Words the log views share (the device page's log, the log page). Pure. */
import { statusLabel } from "@/lib/installation-jobs/status-model";
import type { LogRow } from "@/lib/installation-log/queries";

/** What an event did to its job's status: "A → B", "A (unchanged)", or "—" for none. */
export function statusChange(row: Pick<LogRow, "statusBefore" | "statusAfter">): string {
  if (row.statusAfter === null) return "—";
  if (row.statusBefore === null) return statusLabel(row.statusAfter);
  if (row.statusBefore === row.statusAfter) return `${statusLabel(row.statusAfter)} (unchanged)`;
  return `${statusLabel(row.statusBefore)} → ${statusLabel(row.statusAfter)}`;
}

/** Withdrawing a software entry: it leaves every device's poll at once (the devices then remove it). */
import { sql, statement } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { removeFromPollLists } from "@/lib/installation-jobs/job-writer";

const withdrawSql = statement<{ packageId: string }>(
  "software_withdraw",
  `UPDATE software SET withdrawn_at = $2::timestamptz WHERE id = $1::int AND withdrawn_at IS NULL RETURNING package_id AS "packageId"`,
);

/** Returns how many devices' polls the package left. */
export async function withdrawSoftware(softwareId: number, now = new Date()): Promise<number> {
  const [row] = await sql().query(withdrawSql, [softwareId, now]);
  if (!row) throw new AppError("NOT_FOUND", `Software ${softwareId} does not exist or is already withdrawn.`);
  return removeFromPollLists(row.packageId);
}

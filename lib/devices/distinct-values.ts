import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * The distinct values of a devices column with a (column, id) index. DISTINCT would read the
 * whole table; this skips through the index one value at a time (a "loose index scan"), a few
 * index probes per value.
 */
export async function distinctDeviceValues(column: "platform" | "client_version", limit: number): Promise<string[]> {
  const c = Prisma.raw(column);
  const rows = await db().$queryRaw<{ v: string }[]>`WITH RECURSIVE f(v) AS (
      (SELECT ${c} FROM devices WHERE ${c} IS NOT NULL ORDER BY ${c} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${c} FROM devices WHERE ${c} > f.v ORDER BY ${c} LIMIT 1) FROM f WHERE f.v IS NOT NULL
    )
    SELECT v FROM f WHERE v IS NOT NULL LIMIT ${limit}`;
  return rows.map((r) => r.v);
}

/**
 * The server secret that signs download tickets. `DEPLOYDESK_SECRET` when set (at least 32
 * characters); otherwise one generated at first use and kept in server_settings, so every app
 * node on the database signs and checks with the same key and links survive restarts.
 */
import { randomBytes } from "node:crypto";
import { sql, statement } from "@/lib/db/sql";

const ensureSecretSql = statement<{ value: string }>(
  "settings_ensure_secret",
  `WITH inserted AS (
     INSERT INTO server_settings (key, value) VALUES ('ticket_secret', to_jsonb($1::text))
     ON CONFLICT (key) DO NOTHING
     RETURNING value
   )
   SELECT value #>> '{}' AS value FROM inserted
   UNION ALL
   SELECT value #>> '{}' FROM server_settings WHERE key = 'ticket_secret'
   LIMIT 1`,
);

const g = globalThis as unknown as { deploydeskSecret?: Promise<Buffer> };

export function serverSecret(): Promise<Buffer> {
  const fromEnv = process.env.DEPLOYDESK_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("DEPLOYDESK_SECRET must be at least 32 characters.");
    return Promise.resolve(Buffer.from(fromEnv));
  }
  return (g.deploydeskSecret ??= sql()
    .query(ensureSecretSql, [randomBytes(32).toString("base64url")])
    // Another node inserted it at the same moment: this statement's snapshot predates that, so
    // it saw neither row; the next statement sees theirs.
    .then(async (rows) => rows[0] ?? (await sql().query(ensureSecretSql, [randomBytes(32).toString("base64url")]))[0])
    .then((row) => {
      if (!row) throw new Error("the ticket secret could not be read");
      return Buffer.from(row.value);
    })
    .catch((error) => {
      g.deploydeskSecret = undefined;
      throw error;
    }));
}

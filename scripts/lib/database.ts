/**
 * The database a command-line script works on: the given URL, or an embedded PostgreSQL
 * (PGlite on a loopback port, persistent in `dataDir` or in memory), always with the
 * migrations applied. Shared by start, test and bench so they set up the same way.
 */
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { deployMigrations } from "@/lib/db/migrate";

export type ScriptDatabase = { url: string; embedded: boolean; stop(): Promise<void> };

export async function openMigratedDatabase(opts: {
  url: string | undefined;
  dataDir: string | null;
  port?: number;
  /** Runs on a server URL before migrating (e.g. create or wipe a test database). */
  prepare?: (url: string) => Promise<void>;
  log?: (line: string) => void;
}): Promise<ScriptDatabase> {
  const embedded = opts.url ? null : await startEmbeddedPostgres({ dataDir: opts.dataDir, port: opts.port ?? 0 });
  const url = embedded?.url ?? opts.url!;
  if (!embedded) await opts.prepare?.(url);
  await deployMigrations({ databaseUrl: url, log: opts.log });
  return { url, embedded: embedded !== null, stop: async () => embedded?.stop() };
}

/** The URL with its password hidden, for printing. */
export function redactUrl(url: string): string {
  return url.replace(/:[^:@/]*@/, ":***@");
}

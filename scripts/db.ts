// Database migrations from the command line, in place of `prisma migrate` (see lib/db/migrate.ts):
//   tsx scripts/db.ts deploy | status | dev --name <name>   (or: dev <name>)
// Uses DATABASE_URL; without it, the embedded database in .data/pglite that `npm start` serves.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../lib/db/embedded";
import { createMigration, deployMigrations, migrationStatus } from "../lib/db/migrate";

const USAGE = "usage: tsx scripts/db.ts deploy | status | dev --name <name>";
const EMBEDDED_DIR = fileURLToPath(new URL("../.data/pglite", import.meta.url));

const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: "string" } } });
const [command, positionalName] = positionals;
const name = values.name ?? positionalName ?? "";
if (!(command === "deploy" || command === "status" || (command === "dev" && name))) {
  console.error(USAGE);
  process.exit(2);
}

let embedded: EmbeddedPostgres | undefined;
try {
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: EMBEDDED_DIR });
    databaseUrl = embedded.url;
    console.log(`Embedded database: ${path.relative(process.cwd(), EMBEDDED_DIR)}`);
  } else {
    console.log(`Database: ${redact(databaseUrl)}`);
  }
  const opts = { databaseUrl, log: (line: string) => console.log(line) };
  if (command === "deploy") {
    await deployMigrations(opts);
  } else if (command === "status") {
    const status = await migrationStatus(opts);
    for (const [label, names] of Object.entries(status)) {
      if (names.length > 0) console.log(`${label}:\n${names.map((n) => `  ${n}`).join("\n")}`);
    }
    if (status.pending.length === 0 && status.failed.length === 0) console.log("Database is up to date.");
  } else {
    await createMigration({ ...opts, name });
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await embedded?.stop();
}
// The wasm engine never clears its timers (its glue imports setTimeout but not clearTimeout), which
// would keep the process alive about 10 s after `deploy` or `dev`.
process.exit();

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

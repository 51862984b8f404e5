// Read by the Prisma CLI (`prisma generate`). Migrations do not go through the CLI: its native
// schema engine would be downloaded, so scripts/db.ts drives the WebAssembly engine instead.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/deploydesk" },
});

/**
 * The one Prisma client. Nothing else constructs one.
 *
 * It always talks PostgreSQL over TCP through @prisma/adapter-pg: either a real server or the
 * embedded PGlite that scripts/start.ts serves on a loopback port, so the app has one code path
 * and never knows which it is. Kept on globalThis in production too: Turbopack may evaluate this
 * module once per bundle (page and route), and two pools would double the connections.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set. Start the console with `npm start`, which provides the embedded database.");
  }
  return url;
}

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(), max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }) });
}

const g = globalThis as unknown as { deploydeskPrisma?: PrismaClient };

/** Created on first use, so importing a module never needs the database (e.g. at build time). */
export function db(): PrismaClient {
  return (g.deploydeskPrisma ??= createClient());
}

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Steps the start and test scripts share: generate the Prisma client and build the app only
 * when their inputs changed, so `npm start` on a fresh clone does everything and a second
 * start is quick.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Env for every tool we run: no telemetry, no update checks, no engine downloads. */
export const OFFLINE_ENV = {
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  // Any existing file stops `prisma generate` from downloading a schema engine (toolchain.md §2).
  PRISMA_SCHEMA_ENGINE_BINARY: "package.json",
};

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function mtime(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

export function run(command: string, args: string[], env: Record<string, string> = {}): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...OFFLINE_ENV, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

/** Runs a command to completion without blocking the event loop (an in-process database may be serving it). */
export function runAsync(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...OFFLINE_ENV, ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export function ensurePrismaClient(): void {
  const generated = path.join(ROOT, "lib/generated/prisma/client.ts");
  if (mtime(generated) >= mtime(path.join(ROOT, "prisma/schema.prisma"))) return;
  console.log("Generating the Prisma client…");
  run("npx", ["prisma", "generate"]);
}

/** Builds when .next is missing or older than any source file. */
export function ensureBuild(force = false): void {
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  const sources = ["app", "components", "lib", "public", "next.config.js", "package.json", "tsconfig.json"];
  const newestSource = Math.max(...sources.map((s) => newestMtime(path.join(ROOT, s))));
  if (!force && mtime(buildId) > newestSource) return;
  console.log("Building the console…");
  run("npx", ["next", "build"]);
}

/**
 * `next` itself, not through npx: npx would be the process we signal, and the Next server
 * under it would be orphaned on shutdown.
 */
export const NEXT_BIN = path.join(ROOT, "node_modules/.bin/next");

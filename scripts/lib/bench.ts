/**
 * Pieces the benchmarks share: running one child process per database (each database gets a
 * fresh process, so its Prisma client, pools and an in-process PGlite never outlive their run),
 * and nearest-rank percentiles.
 */
import { spawn } from "node:child_process";
import { ROOT } from "./toolchain";

/**
 * Runs `script` once per database with this process's arguments and `--run=<database>`. The
 * child prints progress lines, which are passed on, and one JSON line per result.
 */
export async function runPerDatabase<R>(script: string, databases: string[]): Promise<R[]> {
  const results: R[] = [];
  for (const database of databases) {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...process.argv.slice(2), `--run=${database}`], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      for (const line of d.toString().split("\n")) if (line && !line.startsWith("{")) console.log(line);
    });
    const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
    if (code !== 0) throw new Error(`the ${database} run failed (exit ${code})`);
    for (const line of out.split("\n")) if (line.startsWith("{")) results.push(JSON.parse(line) as R);
  }
  return results;
}

/** The nearest-rank percentile (p from 0 to 1) of numbers in any order; NaN for none. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** A numeric `--name=value` option of the command line, or its default. */
export function numberOption(name: string, fallback: number): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = Number(flag?.split("=")[1] ?? fallback);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
}

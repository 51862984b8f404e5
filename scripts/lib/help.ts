import { readFileSync } from "node:fs";

/** `--help`: prints the script's opening doc comment (its usage, kept next to the code) and exits. */
export function printHelpIfAsked(scriptUrl: string): void {
  if (!process.argv.includes("--help")) return;
  const me = readFileSync(new URL(scriptUrl), "utf8");
  console.log(me.slice(me.indexOf("/**") + 3, me.indexOf("*/")).replace(/^ \* ?/gm, "").trim());
  process.exit(0);
}

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = { "@": fileURLToPath(new URL(".", import.meta.url)) };

// Tiers by suffix: `*.test.ts` are pure and fast; `*.int.test.ts` talk to a real PostgreSQL
// (DATABASE_URL, prepared by scripts/test.ts) and run one file at a time; `*.system.test.ts`
// run whole commands against the built app.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["lib/**/*.test.ts", "components/**/*.test.ts"], exclude: ["**/*.int.test.ts", "node_modules/**"] },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts", "prisma/**/*.int.test.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Whole commands (npm start) against the built app: run after the build step.
        resolve: { alias },
        test: { name: "system", include: ["scripts/**/*.system.test.ts"], fileParallelism: false, testTimeout: 300_000 },
      },
    ],
  },
});

import { defineConfig } from "@playwright/test";
import { ADMIN_STATE, E2E_ADMIN } from "./e2e/users";

// Runs against the production build served the way `npm start` serves it (scripts/serve.ts: the
// front server with Next in-process), in Debian's Chromium: Playwright's own browser download
// is never used (it would need the network).
const PORT = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json"]],
  // Specs run signed in as the Admin (e2e/auth.setup.ts); a spec that needs another user or
  // none opens its own context.
  projects: [
    { name: "sign-in", testMatch: /auth\.setup\.ts/ },
    { name: "console", dependencies: ["sign-in"], use: { storageState: ADMIN_STATE } },
  ],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    stdout: "pipe",
    command: `node --import tsx scripts/serve.ts`,
    url: `http://127.0.0.1:${PORT}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: process.env.DATABASE_URL ?? "", PORT: String(PORT), DEPLOYDESK_STORAGE_DIR: process.env.DEPLOYDESK_STORAGE_DIR ?? "",
      DEPLOYDESK_ADMIN_EMAIL: E2E_ADMIN.email,
      DEPLOYDESK_ADMIN_PASSWORD: E2E_ADMIN.password,
      // The specs own the sending: the Outbox spec reads messages as they were queued, and the
      // delivery spec runs a worker process of its own against a real Kannel.
      DEPLOYDESK_OUTBOX_WORKERS: "0",
    },
  },
});

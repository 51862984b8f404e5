/**
 * Signs in once as the Admin that the server under test creates from DEPLOYDESK_ADMIN_EMAIL /
 * DEPLOYDESK_ADMIN_PASSWORD (playwright.config.ts), through the real sign-in form, and keeps
 * the session for the other specs.
 */
import { expect, test as setup } from "@playwright/test";
import { E2E_ADMIN, ADMIN_STATE } from "./users";

setup("sign in as the Admin", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/devices$/);
  await page.context().storageState({ path: ADMIN_STATE });
});

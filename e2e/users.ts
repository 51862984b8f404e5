/** The e2e suite's Admin: the server under test creates it at start-up (scripts/serve.ts). */
export const E2E_ADMIN = { email: "e2e-admin@example.test", password: "e2e admin password" };
export const ADMIN_STATE = ".test-reports/e2e-admin-state.json";

/**
 * A new user of `role`, signed in through the form in a browser context of its own (the specs
 * otherwise run as the Admin): its page, context (close it after) and user.
 */
export async function signInAs(browser: import("@playwright/test").Browser, role: import("@/lib/auth/roles").Role) {
  const { expect } = await import("@playwright/test");
  const { createTestUser } = await import("@/lib/testing/factories");
  const user = await createTestUser(role);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/devices$/);
  return { page, context, user };
}

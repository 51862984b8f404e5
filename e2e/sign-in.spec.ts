/**
 * Sign-in, sign-out and roles as a browser sees them. These tests start from a context with no
 * session; the Admin they use is the suite's (e2e/users.ts).
 */
import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./users";

async function anonymousPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an anonymous visitor is sent to sign in, a wrong password is refused, and sign-in returns to the page asked for", async ({ browser }) => {
  const page = await anonymousPage(browser);
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/login\?next=%2Faudit$/);
  await page.screenshot({ path: "test-results/screens/sign-in.png" });

  await signIn(page, E2E_ADMIN.email, "not the password");
  await expect(page.getByTestId("form-status")).toHaveText("Invalid email or password.");
  await expect(page).toHaveURL(/\/login/);
  // The address typed stays, and the focus is back on the password for the next try.
  await expect(page.getByLabel("Email")).toHaveValue(E2E_ADMIN.email);
  await expect(page.getByLabel("Password")).toBeFocused();

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit trail");
  // The refused attempt and the sign-in are on the trail, with the address they came from.
  const trail = page.getByRole("table", { name: /Audit events/ });
  await expect(trail.getByRole("row").nth(1)).toContainText("Signed in");
  await expect(trail.getByRole("row").nth(1)).toContainText("127.0.0.1");
  await expect(trail.getByRole("row").nth(2)).toContainText("Sign-in refused");
  await page.screenshot({ path: "test-results/screens/audit.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/devices");
  await expect(page).toHaveURL(/\/login/);
  await page.context().close();
});

test("an Admin adds a Read-only user, who sees the console but not the users page", async ({ page, browser }) => {
  const email = `readonly-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw ${randomUUID()}`;
  await page.goto("/users");
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Read Only");
  await form.getByLabel("Role").selectOption({ label: "Read-only" });
  await form.getByLabel("Password").fill("short");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.locator(".field-error")).toHaveText("Use at least 10 characters.");
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByTestId("form-status")).toHaveText(`Created ${email} (Read-only).`);
  await expect(page.getByRole("table", { name: "Console users" })).toContainText(email);
  await page.screenshot({ path: "test-results/screens/users.png", fullPage: true });

  const readonly = await anonymousPage(browser);
  await readonly.goto("/login");
  await signIn(readonly, email, password);
  await expect(readonly).toHaveURL(/\/devices$/);
  await expect(readonly.getByTestId("signed-in-as")).toHaveText(email);
  await expect(readonly.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  const refused = await readonly.goto("/users");
  expect(refused?.status()).toBe(403);
  await expect(readonly.getByRole("heading", { level: 1 })).toHaveText("Not allowed");

  // Disabling ends the session at once.
  await page.getByRole("button", { name: `Disable ${email}` }).click();
  await expect(page.getByRole("row", { name: new RegExp(email) })).toContainText("Disabled");
  await readonly.goto("/devices");
  await expect(readonly).toHaveURL(/\/login/);
  await readonly.context().close();
});

test("an unknown page is a styled 404", async ({ page }) => {
  const res = await page.goto("/no/such/page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

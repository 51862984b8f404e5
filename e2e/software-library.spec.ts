/** The software library as an Admin uses it: upload with progress, see it listed, refuse a duplicate, edit, withdraw. */
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";

test("upload a package, find it in the library, refuse the same file again, edit and withdraw it", async ({ page }) => {
  const name = `Scanner app ${randomUUID().slice(0, 6)}`;
  const bytes = Buffer.from(`cab ${randomUUID()}`.repeat(20_000));
  await page.goto("/software/new");
  const form = page.getByRole("form", { name: "Add software" });
  await expect(form).toHaveAttribute("data-hydrated", "true");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Version").fill("3.1");
  await form.getByLabel("Package file").setInputFiles({ name: "scanner.cab", mimeType: "application/octet-stream", buffer: bytes });
  await form.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${name} 3.1`);
  await expect(page.getByText(`${bytes.length.toLocaleString("en")} bytes`)).toBeVisible();
  const entryUrl = page.url();
  await page.screenshot({ path: "test-results/screens/software-entry.png", fullPage: true });

  await page.goto("/software");
  await expect(page.getByRole("table", { name: "Other software" })).toContainText(`${name} 3.1`);
  await page.screenshot({ path: "test-results/screens/software-library.png", fullPage: true });

  await page.goto("/software/new");
  await expect(form).toHaveAttribute("data-hydrated", "true");
  await form.getByLabel("Name").fill(`${name} again`);
  await form.getByLabel("Version").fill("3.2");
  await form.getByLabel("Package file").setInputFiles({ name: "copy.cab", mimeType: "application/octet-stream", buffer: bytes });
  await form.getByRole("button", { name: "Upload" }).click();
  await expect(form.getByTestId("form-status")).toHaveText(`This file is already in the library as ${name} 3.1.`);
  // Nothing typed is lost.
  await expect(form.getByLabel("Name")).toHaveValue(`${name} again`);

  await page.goto(entryUrl);
  const edit = page.getByRole("form", { name: "Edit software" });
  await edit.getByLabel("Command line after download").fill("scanner.exe /silent");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByTestId("form-status")).toContainText("Saved.");
  await page.reload();
  await expect(page.getByLabel("Command line after download")).toHaveValue("scanner.exe /silent");

  const download = await page.request.get(`${entryUrl}/file`);
  expect(download.status()).toBe(200);
  expect((await download.body()).length).toBe(bytes.length);

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("form", { name: "Withdraw software" }).getByRole("button", { name: "Withdraw" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Withdrawn");
});

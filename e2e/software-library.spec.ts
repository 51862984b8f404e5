/** The software library as an Admin uses it: upload with progress, see it listed, refuse a duplicate, edit, withdraw; its counts lead to the jobs list. */
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createTestDevice, createTestJob, createTestSoftware, statusXml } from "@/lib/testing/factories";

test("upload a package, find it in the library, refuse the same file again, edit and withdraw it", async ({ page }) => {
  const name = `Scanner app ${randomUUID().slice(0, 6)}`;
  const bytes = Buffer.from(`cab ${randomUUID()}`.repeat(20_000));
  await page.goto("/software/new");
  const form = page.getByRole("form", { name: "Add software" });
  await expect(form).toHaveAttribute("data-hydrated", "true");
  // The service's checks run in the browser first: a DME client without its platform, and no
  // file, are named before anything is sent.
  await form.getByLabel("Kind").selectOption("DME_CLIENT");
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Upload" }).click();
  await expect(form.getByTestId("form-status")).toHaveText("Check the fields marked.");
  await expect(form.locator(".field-error")).toHaveText(["Enter a version.", "Choose a file."]);
  await form.getByLabel("Version").fill("3.1");
  await form.getByRole("button", { name: "Upload" }).click();
  await expect(form.locator(".field-error")).toHaveText(["A DME client is built for one platform: enter it.", "Choose a file."]);
  await form.getByLabel("Kind").selectOption("OTHER_SOFTWARE");
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

test("a library count links to the jobs it counts, in the jobs list", async ({ page, request }) => {
  const device = await createTestDevice();
  const software = await createTestSoftware();
  const [done] = [await createTestJob(device.id, software.id), await createTestJob((await createTestDevice()).id, software.id)];
  const report = await request.post("/api/dm", {
    headers: { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token, "X-Device-Action": "Status" },
    data: statusXml([{ packageId: software.packageId, messageId: "11031", timestamp: "2026-11-20 10:00:00" }]),
  });
  expect(report.status()).toBe(200);

  await page.goto("/software");
  await page.getByRole("table", { name: "Other software" }).getByRole("link", { name: `1 installed job of ${software.name} 1.0` }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs\\?software=${software.id}&state=installed$`));
  const jobs = page.getByRole("table", { name: "Installation jobs" });
  await expect(jobs.locator("tbody tr")).toHaveCount(1);
  await expect(jobs.locator("tbody td [data-status]")).toHaveText(["Downloaded"]);
  await expect(jobs.getByRole("link", { name: device.name })).toHaveAttribute("href", `/devices/${device.deviceUuid}`);
  await expect(jobs.getByRole("link", { name: `Job ${done.id}` })).toHaveAttribute("href", `/jobs/${done.id}`);
  await expect(page.getByRole("search").locator("summary", { hasText: "State" })).toContainText("1 selected");
  await page.screenshot({ path: "test-results/screens/jobs-list.png", fullPage: true });

  // The other state's count shows the other job; a ticked filter changes the address.
  await page.goto(`/software/${software.id}`);
  await page.getByTestId("software-counts").getByRole("link", { name: "1 in progress" }).click();
  await expect(page.getByRole("table", { name: "Installation jobs" }).locator("tbody td [data-status]")).toHaveText(["Waiting for download"]);
  await expect(page.getByTestId("jobs")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("search").locator("summary", { hasText: "State" }).click();
  await page.getByRole("checkbox", { name: "Installed", exact: true }).check();
  await expect(page).toHaveURL(/state=installed&state=inProgress/);
  await expect(page.getByRole("table", { name: "Installation jobs" }).locator("tbody tr")).toHaveCount(2);

  await page.goto("/jobs?sort=name");
  await expect(page.getByTestId("issues")).toContainText("sortable columns are created, updated");
});

/**
 * A gradual install through the wizard: the Installation window's "Release gradually" (checked
 * in the browser first), the Installation status view's progress ("Released 1 of 3"), its plan
 * and state at 1280 and 420 px, Pause and Resume; a Read-only user sees no buttons.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { db } from "@/lib/db/client";
import { createTestDevice, createTestSoftware } from "@/lib/testing/factories";
import { signInAs } from "./users";

const clock = (d: Date) => d.toISOString().slice(11, 16);

test("a gradual install releases one of three at once, pauses and resumes", async ({ page, browser }) => {
  const run = randomUUID().slice(0, 8);
  for (const n of ["A", "B", "C"]) {
    const device = await createTestDevice();
    await db().device.update({ where: { id: device.id }, data: { name: `Rollout ${run} ${n}` } });
  }
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`rollout ${run}`));

  await page.goto("/install");
  await page.getByRole("link", { name: `${software.name} 1.0` }).click();
  await expect(page).toHaveURL(/step=devices/);
  await page.getByLabel("Search devices").fill(run);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("devices").getByRole("row")).toHaveCount(4);
  await page.getByRole("button", { name: "Install on every matching device (3)…" }).click();
  const dialog = page.getByRole("dialog", { name: "Installation" });
  await dialog.getByRole("radio", { name: /^Mark for Installation/ }).check();
  await dialog.getByRole("checkbox", { name: /^Release gradually/ }).check();

  // The service's own schema, in the browser: nothing is sent.
  await dialog.getByRole("button", { name: "Install" }).click();
  await expect(dialog.getByTestId("form-status")).toHaveText("Check the fields marked.");
  await expect(dialog.getByLabel("Jobs per hour, at most")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText("Release between 1 and 10,000 jobs an hour, a whole number.")).toBeVisible();
  await dialog.getByLabel("Jobs per hour, at most").fill("1");
  await dialog.getByLabel("from", { exact: true }).fill("12:00");
  await dialog.getByLabel("to", { exact: true }).fill("12:00");
  await dialog.getByRole("button", { name: "Install" }).click();
  await expect(dialog.getByText("The window ends when it starts: it would never be open.", { exact: false })).toBeVisible();

  // A window around now (it may run across midnight), and a failure threshold.
  const now = Date.now();
  const [from, to] = [clock(new Date(now - 3_600_000)), clock(new Date(now + 2 * 3_600_000))];
  await dialog.getByLabel("from", { exact: true }).fill(from);
  await dialog.getByLabel("to", { exact: true }).fill(to);
  await dialog.getByLabel("Pause when the failure rate passes (%)").fill("30");
  await page.setViewportSize({ width: 420, height: 900 });
  await page.screenshot({ path: "test-results/screens/install-window-gradual-420.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await dialog.getByRole("button", { name: "Install" }).click();

  await expect(page).toHaveURL(/\/batches\/\d+$/);
  const batchUrl = page.url();
  const rollout = page.getByTestId("rollout");
  await expect(rollout.getByTestId("rollout-progress")).toHaveText("Released 1 of 3");
  await expect(rollout.getByTestId("rollout-state")).toHaveText("Releasing");
  await expect(rollout.getByTestId("rollout-plan")).toHaveText(`At most 1 job an hour (one an hour), between ${from} and ${to} UTC`);
  await expect(rollout.getByTestId("rollout-failures")).toHaveText("no released job has finished yet");
  await expect(rollout.getByTestId("rollout-next")).toContainText("(in 59 min)");
  await expect(page.getByText("3 devices by Mark for Installation")).toBeVisible();
  await expect(page.getByTestId("batch-counts")).toHaveText(/Waiting for download:\s*1/);
  for (const width of [1280, 420]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/screens/batch-gradual-${width}.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  await rollout.getByRole("button", { name: "Pause release" }).click();
  await expect(rollout.getByTestId("form-status")).toHaveText("Paused: no more jobs are released until you resume.");
  await expect(rollout.getByTestId("rollout-state")).toContainText("by e2e-admin@example.test: paused by hand");
  await expect(rollout.getByTestId("rollout-next")).toHaveText("—");
  await rollout.getByRole("button", { name: "Resume release" }).click();
  await expect(rollout.getByTestId("form-status")).toHaveText("Resumed: the release goes on on schedule.");
  await expect(rollout.getByTestId("rollout-state")).toHaveText("Releasing");
  await expect(rollout.getByTestId("rollout-progress")).toHaveText("Released 1 of 3");
  const batchId = Number(batchUrl.split("/").pop());
  expect(await db().auditEvent.count({ where: { targetType: "batch", targetId: String(batchId), action: { in: ["batch.pause", "batch.resume"] } } })).toBe(2);

  // Read-only: the same view, no buttons.
  const { page: readonly, context } = await signInAs(browser, "readonly");
  await readonly.goto(batchUrl);
  await expect(readonly.getByTestId("rollout-progress")).toHaveText("Released 1 of 3");
  await expect(readonly.getByRole("button", { name: /release$/ })).toHaveCount(0);
  await context.close();
});

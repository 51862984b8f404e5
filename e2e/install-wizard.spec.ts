/**
 * The install wizard as an administrator uses it: software → devices → the Installation window,
 * for each method, from the devices list's bulk actions and from a device page; the DME client
 * preset of the picker; a second unfinished job refused by name; and a Read-only user, who
 * gets no install controls and whose submit the server refuses.
 */
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { loadSampleBody } from "@/lib/device-protocol/fixtures";
import { db } from "@/lib/db/client";
import { createTestDevice, createTestSoftware } from "@/lib/testing/factories";
import { signInAs } from "./users";

async function namedDevice(patch: { phoneNumber?: string; platform?: string; clientVersion?: string } = {}) {
  const device = await createTestDevice();
  const name = `Wizard ${randomUUID().slice(0, 8)}`;
  await db().device.update({ where: { id: device.id }, data: { name, ...patch } });
  return { ...device, name };
}

async function search(page: Page, text: string) {
  await page.getByLabel("Search devices").fill(text);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("devices")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("devices").getByRole("row")).toHaveCount(2);
}

const METHODS = [
  { radio: "Use DM", fallback: "WAP push", status: "Waiting for bootstrap", message: "BOOTSTRAP", summary: "by OMA DM, falling back to WAP push" },
  { radio: "SMS push", status: "Waiting for download", message: "SMS_PUSH", summary: "by SMS push" },
  { radio: "WAP push", status: "Waiting for download", message: "WAP_PUSH", summary: "by WAP push" },
  { radio: "Mark for Installation", status: "Waiting for download", message: null, summary: "by Mark for Installation" },
] as const;

for (const m of METHODS) {
  test(`the wizard installs with ${m.radio}: one transaction, the batch's status view, the message handed to delivery`, async ({ page, request }) => {
    const device = await namedDevice({ phoneNumber: "+15550199" });
    const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`wizard ${m.radio}`));
    await page.goto("/install");
    await page.getByRole("link", { name: `${software.name} 1.0` }).click();
    await expect(page).toHaveURL(/step=devices/);
    await search(page, device.name);
    await page.getByRole("checkbox", { name: `Select ${device.name}` }).check();
    await page.getByRole("button", { name: `Install on ${device.name}…` }).click();
    const dialog = page.getByRole("dialog", { name: "Installation" });
    await dialog.getByRole("radio", { name: new RegExp(`^${m.radio}`) }).check();
    if ("fallback" in m) await dialog.getByLabel("If OMA DM cannot reach a device, fall back to").selectOption({ label: m.fallback });
    if (m.radio === "Use DM") await page.screenshot({ path: "test-results/screens/install-window.png", fullPage: true });
    await dialog.getByRole("button", { name: "Install" }).click();

    await expect(page).toHaveURL(/\/batches\/\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Installation status: ${software.name} 1.0`);
    await expect(page.getByText(`1 device ${m.summary}`)).toBeVisible();
    await expect(page.getByTestId("batch-jobs")).toContainText(m.status);
    await expect(page.getByTestId("batch-jobs")).toContainText(device.name);
    if (m.radio === "SMS push") await page.screenshot({ path: "test-results/screens/batch.png", fullPage: true });

    const job = await db().installationJob.findFirstOrThrow({ where: { deviceId: device.id, softwareId: software.id }, select: { id: true, method: true } });
    const messages = await db().outboundMessage.findMany({ where: { jobId: job.id }, select: { kind: true, recipient: true } });
    expect(messages.map((x) => x.kind)).toEqual(m.message ? [m.message] : []);
    if (m.message === "SMS_PUSH" || m.message === "WAP_PUSH") expect(messages[0]!.recipient).toBe("+15550199");
    if (m.message === null) {
      // Mark for Installation: the link is handed over at the next poll.
      const poll = await request.post("/api/dm", {
        headers: { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token, "X-Device-Action": "Poll" },
        data: loadSampleBody("poll-request").replace("43004500500043000000434550434B5335343934350000000000", device.deviceUuid),
      });
      expect(await poll.text()).toContain(software.packageId);
    }
  });
}

test("from the devices list: several devices, then a second unfinished job is refused by name", async ({ page }) => {
  const platform = `Wizard platform ${randomUUID().slice(0, 6)}`;
  const [a, b] = [await namedDevice({ platform }), await namedDevice({ platform })];
  const software = await createTestSoftware("OTHER_SOFTWARE", "2.0", Buffer.from("bulk"));
  await page.goto(`/devices?platform=${encodeURIComponent(platform)}`);
  await expect(page.getByTestId("devices")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("checkbox", { name: "Select all devices on this page" }).check();
  await page.getByRole("button", { name: "Install software…" }).click();
  const dialog = page.getByRole("dialog", { name: "Installation" });
  await expect(dialog.getByTestId("install-summary")).toHaveText("2 devices");
  // Checked in the browser by the service's own schema before anything is sent.
  await dialog.getByRole("button", { name: "Install" }).click();
  await expect(dialog.locator(".field-error")).toHaveText("Choose the software.");
  await expect(dialog.getByTestId("form-status")).toHaveText("Check the fields marked.");
  await dialog.getByLabel("Software", { exact: true }).selectOption({ label: `${software.name} 2.0` });
  await dialog.getByRole("radio", { name: /^Mark for Installation/ }).check();
  await dialog.getByRole("button", { name: "Install" }).click();
  await expect(page).toHaveURL(/\/batches\/\d+$/);
  await expect(page.getByTestId("batch-counts")).toContainText("Waiting for download");
  await expect(page.getByTestId("batch-jobs")).toContainText(a.name);
  await expect(page.getByTestId("batch-jobs")).toContainText(b.name);

  // The same again from a's device page: refused, naming the device; nothing is lost from the form.
  await page.goto(`/devices/${a.deviceUuid}`);
  await page.getByRole("link", { name: "Install software…" }).click();
  await expect(page).toHaveURL(/\/install\?devices=/);
  await page.getByTestId("software-choices").getByRole("link", { name: `${software.name} 2.0` }).click();
  const window = page.getByTestId("install-window");
  await expect(window.getByTestId("install-summary")).toHaveText(a.name);
  await window.getByRole("radio", { name: /^SMS push/ }).check();
  await window.getByRole("button", { name: "Install" }).click();
  await expect(window.getByTestId("form-status")).toContainText(`already has an unfinished job for ${software.name} 2.0: ${a.name}`);
  await expect(window.getByRole("radio", { name: /^SMS push/ })).toBeChecked();
  expect(await db().installationJob.count({ where: { softwareId: software.id } })).toBe(2);
});

test("a DME client's picker starts with its platform's devices on a lower version", async ({ page }) => {
  const platform = `Wizard CE ${randomUUID().slice(0, 6)}`;
  const [older, same, newer] = [await namedDevice({ platform, clientVersion: "6.0.9" }), await namedDevice({ platform, clientVersion: "6.0.10" }), await namedDevice({ platform, clientVersion: "6.1" })];
  const elsewhere = await namedDevice({ platform: `${platform} other`, clientVersion: "5.0" });
  const client = await createTestSoftware("DME_CLIENT", "6.0.10", Buffer.from("client"));
  await db().software.update({ where: { id: client.id }, data: { platform } });
  await page.goto(`/install/${client.id}`);
  await expect(page).toHaveURL(/clientBelow=6\.0\.10/);
  const table = page.getByTestId("devices");
  await expect(table).toContainText(older.name);
  for (const d of [same, newer, elsewhere]) await expect(table).not.toContainText(d.name);
  await page.screenshot({ path: "test-results/screens/install-picker.png", fullPage: true });
  await expect(page.getByRole("button", { name: "Install on every matching device (1)…" })).toBeVisible();
});

test("software built for one platform starts its picker with that platform's devices", async ({ page }) => {
  const platform = `Wizard PPC ${randomUUID().slice(0, 6)}`;
  const [mine, other] = [await namedDevice({ platform }), await namedDevice({ platform: `${platform} other` })];
  const app = await createTestSoftware("OTHER_SOFTWARE", "2.0", Buffer.from(`for ${platform}`));
  await db().software.update({ where: { id: app.id }, data: { platform } });
  await page.goto(`/install/${app.id}`);
  await expect(page).toHaveURL(new RegExp(`platform=${encodeURIComponent(platform).replaceAll("%20", "\\+")}`));
  await expect(page.getByText(`Software for ${platform} starts with the devices of that platform.`)).toBeVisible();
  const table = page.getByTestId("devices");
  await expect(table).toContainText(mine.name);
  await expect(table).not.toContainText(other.name);
  await expect(page.getByRole("button", { name: "Install on every matching device (1)…" })).toBeVisible();
});

test("a Read-only user has no install controls, and the server refuses the install a stale page submits", async ({ page, browser }) => {
  const device = await namedDevice();
  const software = await createTestSoftware("OTHER_SOFTWARE", "3.0", Buffer.from("read-only"));
  const { page: readonly, context } = await signInAs(browser, "readonly");
  await expect(readonly.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Install" })).toHaveCount(0);
  await expect(readonly.getByRole("checkbox", { name: `Select ${device.name}` })).toHaveCount(0);
  await readonly.goto(`/devices/${device.deviceUuid}`);
  await expect(readonly.getByRole("heading", { level: 1 })).toHaveText(device.name);
  await expect(readonly.getByRole("link", { name: "Install software…" })).toHaveCount(0);
  expect((await readonly.goto("/install"))?.status()).toBe(403);

  // An Admin's open Installation window, submitted after the session became a Read-only one's.
  await page.goto(`/install/${software.id}?devices=${device.deviceUuid}`);
  const window = page.getByTestId("install-window");
  await expect(window).toBeVisible();
  const cookies = await context.cookies();
  await page.context().clearCookies();
  await page.context().addCookies(cookies);
  await window.getByRole("button", { name: "Install" }).click();
  await expect(window.getByTestId("form-status")).toHaveText(/Read-only may not do this/);
  expect(await db().installationJob.count({ where: { deviceId: device.id } })).toBe(0);
  await context.close();
});

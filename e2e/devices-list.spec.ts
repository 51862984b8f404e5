/**
 * The devices list driven through its address: the toolbar's filters and search, the header
 * sort links, keyset Previous / Next, row selection into the bulk-action bar, and a bad
 * address answered with its reason. Each test's devices carry a unique word in their names
 * (and platforms) and are found through the search, so the shared database does not matter.
 */
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { db } from "@/lib/db/client";
import { createTestDevice, createTestJob, createTestSoftware } from "@/lib/testing/factories";

function word(): string {
  return `E2E${randomUUID().replaceAll("-", "").slice(0, 8)}`;
}

async function devices(names: string[], patch: (i: number) => { platform?: string; lastContactAt?: Date | null; lastPollAt?: Date | null } = () => ({})) {
  for (const [i, name] of names.entries()) {
    const d = await createTestDevice();
    await db().device.update({ where: { id: d.id }, data: { name, ...patch(i) } });
  }
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByTestId("devices")).toHaveAttribute("data-hydrated", "true");
}

const list = (page: Page) => page.getByRole("table", { name: "Managed devices" });
const nameLinks = (page: Page) => list(page).locator("tbody .device-name a");

test("a platform ticked in the toolbar filters the rows and lands in the address; Clear filters undoes it", async ({ page }) => {
  const w = word();
  await devices([`${w} alpha`, `${w} bravo`, `${w} charlie`, `${w} delta`], (i) => ({ platform: `${w} CE ${i % 2 === 0 ? "A" : "B"}` }));
  await open(page, `/devices?q=${w}`);
  await expect(nameLinks(page)).toHaveText([`${w} alpha`, `${w} bravo`, `${w} charlie`, `${w} delta`]);

  // By keyboard: the filter opens from its summary, a value ticks with Space.
  const platform = page.locator("details.facet", { has: page.locator("summary", { hasText: "Platform" }) });
  await platform.locator("summary").focus();
  await page.keyboard.press("Enter");
  const optionA = platform.getByRole("checkbox", { name: `${w} CE A` });
  await optionA.focus();
  await page.keyboard.press("Space");
  await expect(page).toHaveURL(new RegExp(`[?&]platform=${w}\\+CE\\+A(&|$)`));
  await expect(nameLinks(page)).toHaveText([`${w} alpha`, `${w} charlie`]);
  await expect(page.getByText(/2 devices on this page · 2 matching/)).toBeVisible();

  // A second value of the same filter is OR-ed.
  await platform.getByRole("checkbox", { name: `${w} CE B` }).check();
  await expect(page).toHaveURL(/platform=.*platform=/);
  await expect(nameLinks(page)).toHaveCount(4);

  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/devices$/);
  await expect(page.getByRole("searchbox", { name: "Search devices" })).toHaveValue("");
});

test("the search box finds a device by part of its name, and Enter applies it", async ({ page }) => {
  const w = word();
  await devices([`${w} Warehouse scanner 07`, `${w} POS terminal 12`]);
  await open(page, "/devices");
  const search = page.getByRole("searchbox", { name: "Search devices" });
  await search.fill(`${w} POS`);
  await search.press("Enter");
  await expect(page).toHaveURL(new RegExp(`\\?q=${w}\\+POS$`));
  await expect(nameLinks(page)).toHaveText([`${w} POS terminal 12`]);
});

test("an unknown sort column in the address shows what is wrong instead of a list, and a way back", async ({ page }) => {
  const res = await page.goto("/devices?sort=password&dir=asc");
  expect(res?.status()).toBe(200);
  // (Next's route announcer is an alert too.)
  const alert = page.getByTestId("issues");
  await expect(alert).toContainText('The list cannot be sorted by "password"');
  await expect(alert).toContainText("name, lastContact, platform, clientVersion");
  await expect(page.getByRole("table", { name: "Managed devices" })).toHaveCount(0);
  await page.goto("/devices?cursor=not-a-cursor!");
  await expect(page.getByTestId("issues")).toContainText("malformed");
  await page.getByRole("link", { name: "Show all devices" }).click();
  await expect(list(page)).toBeVisible();
});

test("Next and Previous page through the devices by cursor, and header links sort", async ({ page }) => {
  const w = word();
  const names = Array.from({ length: 7 }, (_, i) => `${w} device ${String(i + 1).padStart(2, "0")}`);
  const hour = 3_600_000;
  // Last contacts from half an hour ago (device 01) back to six and a half hours ago (device 07).
  const ago = (i: number) => new Date(Date.now() - (i + 0.5) * hour);
  await devices(names, (i) => ({ lastContactAt: ago(i), lastPollAt: ago(i) }));
  await open(page, `/devices?q=${w}&limit=3`);
  const nav = page.getByRole("navigation", { name: "Pages" });
  await expect(nameLinks(page)).toHaveText(names.slice(0, 3));
  await expect(nav.getByRole("link", { name: "← Previous" })).toHaveCount(0);

  await nav.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(nameLinks(page)).toHaveText(names.slice(3, 6));
  await nav.getByRole("link", { name: "Next →" }).click();
  await expect(nameLinks(page)).toHaveText(names.slice(6));
  await expect(nav.getByRole("link", { name: "Next →" })).toHaveCount(0);
  await expect(nav.getByText("Next →")).toHaveAttribute("aria-disabled", "true");

  await nav.getByRole("link", { name: "← Previous" }).click();
  await expect(nameLinks(page)).toHaveText(names.slice(3, 6));
  await nav.getByRole("link", { name: "← Previous" }).click();
  await expect(nameLinks(page)).toHaveText(names.slice(0, 3));
  await expect(nav.getByRole("link", { name: "← Previous" })).toHaveCount(0);

  // Last contact, most recent first, then oldest first; relative times with the exact one in the title.
  const header = list(page).getByRole("columnheader", { name: /Last contact/ });
  await header.getByRole("link").click();
  await expect(page).toHaveURL(/sort=lastContact/);
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect(nameLinks(page)).toHaveText(names.slice(0, 3));
  await expect(list(page).locator("tbody time").first()).toHaveText("30 min ago");
  await expect(list(page).locator("tbody time").first()).toHaveAttribute("title", /UTC/);
  await header.getByRole("link").click();
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  await expect(nameLinks(page)).toHaveText([...names].reverse().slice(0, 3));
  // Devices 03-07 have not polled for more than two hourly intervals.
  await expect(list(page).getByText("Overdue")).toHaveCount(3);
});

test("rows are selected one by one, by page, or all matching, and the bulk-action bar says how many", async ({ page }) => {
  const w = word();
  await devices(Array.from({ length: 4 }, (_, i) => `${w} pick ${i}`));
  await open(page, `/devices?q=${w}&limit=3`);
  const bar = page.getByRole("region", { name: "Selected devices" });
  await expect(bar).toBeHidden();

  await list(page).getByRole("checkbox", { name: `Select ${w} pick 1` }).check();
  await expect(bar).toContainText("1 selected");
  await expect(bar.getByRole("button", { name: "Install software…" })).toBeVisible();

  await list(page).getByRole("checkbox", { name: "Select all devices on this page" }).check();
  await expect(bar).toContainText("3 selected");
  await bar.getByRole("button", { name: "Select all matching devices (4)" }).click();
  await expect(bar).toContainText("All matching devices selected (4)");
  await bar.getByRole("button", { name: "Install software…" }).click();
  await expect(page.getByRole("dialog", { name: "Installation" }).getByTestId("install-summary")).toHaveText("every matching device (4)");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Installation" })).toBeHidden();

  await bar.getByRole("button", { name: "Clear selection" }).click();
  await expect(bar).toBeHidden();
  await expect(list(page).getByRole("checkbox", { name: `Select ${w} pick 1` })).not.toBeChecked();
});

test("bulk actions on every matching device: add to a group, cancel their unfinished jobs; the filters saved as a group", async ({ page }) => {
  const w = word();
  await devices(Array.from({ length: 3 }, (_, i) => `${w} bulk ${i}`));
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(w));
  for (const d of await db().device.findMany({ where: { name: { startsWith: `${w} bulk` } }, select: { id: true } })) await createTestJob(d.id, software.id);
  const group = await db().deviceGroup.create({ data: { name: `${w} static`, kind: "STATIC" }, select: { id: true } });
  await open(page, `/devices?q=${w}&limit=2`);
  const bar = page.getByRole("region", { name: "Selected devices" });
  await list(page).getByRole("checkbox", { name: "Select all devices on this page" }).check();
  await bar.getByRole("button", { name: "Select all matching devices (3)" }).click();

  await bar.getByLabel("Group", { exact: true }).selectOption({ label: `${w} static` });
  await bar.getByRole("button", { name: "Add to group" }).click();
  await expect(bar.getByTestId("form-status")).toHaveText("3 devices added to the group.");
  expect(await db().deviceGroupMember.count({ where: { groupId: group.id } })).toBe(3);

  page.once("dialog", (d) => void d.accept());
  await bar.getByRole("button", { name: "Cancel unfinished jobs" }).click();
  await expect(page.getByText("Cancelled 3 unfinished jobs on 3 devices.")).toBeVisible();
  expect(await db().installationJob.count({ where: { softwareId: software.id, cancelledAt: null } })).toBe(0);
  await page.screenshot({ path: "test-results/screens/devices-bulk.png", fullPage: true });

  await page.getByLabel("Save these filters as a group").fill(`${w} saved`);
  await page.getByRole("button", { name: "Save as group" }).click();
  await expect(page).toHaveURL(/\/groups\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${w} saved`);
  await expect(page.getByText(`q=${w}`)).toBeVisible();
});

test("at 420 px every filter's menu opens inside the window, and the page never scrolls sideways", async ({ page }) => {
  await page.setViewportSize({ width: 420, height: 900 });
  await open(page, "/devices");
  const facets = page.locator("details.facet");
  const count = await facets.count();
  expect(count).toBeGreaterThan(2);
  for (let i = 0; i < count; i++) {
    const facet = facets.nth(i);
    await facet.locator("summary").click();
    const title = await facet.locator("summary").innerText();
    // The menu is placed when it has opened (the toggle event comes a moment after the click).
    const edges = async () => {
      const box = (await facet.locator(".facet-options").boundingBox())!;
      return [Math.round(box.x), Math.round(box.x + box.width)];
    };
    await expect.poll(async () => { const [left, right] = await edges(); return left! >= 0 && right! <= 420; }, { message: `${title}: the menu stays inside the 420 px window` }).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${title}: sideways scroll`).toBeLessThanOrEqual(0);
    await page.keyboard.press("Escape");
  }
});

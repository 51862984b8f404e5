/**
 * The console by keyboard alone: on the main pages the first Tab stop is the skip link, which
 * moves the focus to the content, and every later stop is something visible with a name (no
 * focus lost on a hidden control, no nameless button). The Installation window opens from its
 * button by keyboard, the page behind it cannot be reached, and Escape closes it and gives the
 * focus back.
 */
import { expect, test, type Page } from "@playwright/test";
import { createTestDevice, createTestJob, createTestSoftware } from "@/lib/testing/factories";

type Stop = { tag: string; name: string; visible: boolean; inMain: boolean; html: string };

/** What has the focus: its tag, a rough accessible name, whether it can be seen. */
async function focused(page: Page): Promise<Stop | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const byIds = (ids: string | null) => (ids ?? "").split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
    const labels = "labels" in el ? [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent ?? "").join(" ") : "";
    const name = [el.getAttribute("aria-label"), byIds(el.getAttribute("aria-labelledby")), labels, el.textContent, el.getAttribute("title"), el.getAttribute("placeholder")]
      .map((s) => (s ?? "").trim())
      .find((s) => s.length > 0) ?? "";
    const box = el.getBoundingClientRect();
    const visible = box.width > 0 && box.height > 0 && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    return { tag: el.tagName.toLowerCase(), name, visible, inMain: Boolean(el.closest("main")), html: el.outerHTML.slice(0, 160) };
  });
}

test("the main pages: the skip link comes first and leads to the content, and every Tab stop is visible and named", async ({ page }) => {
  test.setTimeout(180_000);
  const device = await createTestDevice();
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from("keyboard"));
  const job = await createTestJob(device.id, software.id);
  const pages = [
    "/devices",
    `/devices/${device.deviceUuid}`,
    `/jobs/${job.id}`,
    "/jobs",
    "/outbox",
    "/software",
    `/software/${software.id}`,
    `/install/${software.id}?devices=${device.deviceUuid}`,
    "/log",
    "/groups",
    "/users",
    "/settings",
    "/audit",
  ];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.keyboard.press("Tab");
    const first = await focused(page);
    expect(first?.name, `${path}: the first Tab stop`).toBe("Skip to content");
    expect(first?.visible, `${path}: the skip link shows when focused`).toBe(true);
    await page.keyboard.press("Enter");
    // Past the header: the next stop is inside the page's content.
    await page.keyboard.press("Tab");
    expect((await focused(page))?.inMain, `${path}: Tab after the skip link lands in the content`).toBe(true);

    // Round the page: stop when the focus leaves the document or comes back to the first stop.
    // A date field takes several Tabs (its parts), so a repeat of the same element is passed over.
    const seen = new Set<string>();
    let start: string | null = null;
    let last: string | null = null;
    for (let i = 0; i < 120 && seen.size < 60; i++) {
      const stop = await focused(page);
      if (!stop || stop.html === start) break;
      start ??= stop.html;
      if (stop.html !== last) {
        seen.add(stop.html);
        expect.soft(stop.visible, `${path}: a Tab stop is hidden: ${stop.html}`).toBe(true);
        expect.soft(stop.name.length, `${path}: a Tab stop has no name: ${stop.html}`).toBeGreaterThan(0);
      }
      last = stop.html;
      await page.keyboard.press("Tab");
    }
    expect(seen.size, `${path}: the content has Tab stops`).toBeGreaterThan(0);
  }
});

test("the Installation window by keyboard: Enter opens it with the focus inside, Escape closes it and returns the focus", async ({ page }) => {
  const device = await createTestDevice();
  await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from("keyboard dialog"));
  await page.goto(`/devices?q=${device.deviceUuid}`);
  await expect(page.getByTestId("devices")).toHaveAttribute("data-hydrated", "true");
  // Tick the device with Space, then the bulk bar's button with Enter.
  await page.getByRole("checkbox", { name: /^Select / }).last().focus();
  await page.keyboard.press("Space");
  const opener = page.getByRole("button", { name: "Install software…" });
  await opener.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Installation" });
  await expect(dialog).toBeVisible();
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  // The page behind a modal window is inert: Tab goes round the window's controls (passing
  // through the browser's own UI, where the document has no focused element) and never reaches it.
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    const where = await dialog.evaluate((d) => (d.contains(document.activeElement) ? "window" : document.activeElement === document.body ? "browser" : document.activeElement?.outerHTML.slice(0, 120)));
    expect(["window", "browser"], `Tab ${i} went behind the window to ${where}`).toContain(where);
  }
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

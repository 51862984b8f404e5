/**
 * Every main page, as an Admin sees it, at a desktop width and at 420 px: each renders its
 * heading, and at 420 px nothing makes the page itself scroll sideways (wide tables scroll
 * inside their own box or stack their rows). Screenshots of each land in
 * test-results/screens/tour-*.png for people to look at.
 */
import { expect, test } from "@playwright/test";
import { db } from "@/lib/db/client";
import { createInstallBatch } from "@/lib/installation-jobs/install-batch";
import { createTestDevice, createTestJob, createTestSoftware, createTestUser } from "@/lib/testing/factories";

test("every main page renders at 1280 and at 420 px without sideways scrolling", async ({ page }) => {
  test.setTimeout(180_000);
  const device = await createTestDevice();
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from("tour"));
  const job = await createTestJob(device.id, software.id);
  const group = await db().deviceGroup.create({ data: { name: `Tour group ${device.deviceUuid.slice(0, 6)}`, kind: "STATIC" }, select: { id: true } });
  // An SMS push job on a second device, for a message in the Outbox (its job is the device's only one).
  const pushDevice = await createTestDevice();
  await db().device.update({ where: { id: pushDevice.id }, data: { phoneNumber: "+15550199" } });
  const { actor } = await createTestUser("superuser");
  const pushed = await createInstallBatch(actor, { softwareId: software.id, deviceUuids: [pushDevice.deviceUuid], method: "SMS_PUSH" });
  const message = await db().outboundMessage.findFirstOrThrow({ where: { jobId: pushed.jobs[0]!.id }, select: { id: true } });
  const batch = await db().installBatch.create({ data: { softwareId: software.id, method: "MARK_FOR_INSTALLATION", jobCount: 0 }, select: { id: true } });
  const pages: [string, string][] = [
    ["devices", "/devices"],
    ["device", `/devices/${device.deviceUuid}`],
    ["register-device", "/devices/new"],
    ["groups", "/groups"],
    ["group", `/groups/${group.id}`],
    ["software", "/software"],
    ["software-entry", `/software/${software.id}`],
    ["software-new", "/software/new"],
    ["install", "/install"],
    ["install-devices", `/install/${software.id}`],
    ["install-window", `/install/${software.id}?devices=${device.deviceUuid}`],
    ["batch", `/batches/${batch.id}`],
    ["job", `/jobs/${job.id}`],
    ["jobs", "/jobs"],
    ["outbox", "/outbox"],
    ["outbox-message", `/outbox/${message.id}`],
    ["log", "/log"],
    ["audit", "/audit"],
    ["settings", "/settings"],
    ["users", "/users"],
    ["account", "/account"],
  ];
  for (const width of [1280, 420]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [name, path] of pages) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.screenshot({ path: `test-results/screens/tour-${name}-${width}.png`, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect.soft(overflow, `${path} scrolls sideways by ${overflow} px at ${width} px`).toBeLessThanOrEqual(0);
    }
  }
});

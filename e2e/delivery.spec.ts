/**
 * Real delivery end to end: an administrator installs by SMS push in the wizard, a worker
 * process (scripts/worker.ts, as an extra worker node runs) sends it through a real Kannel
 * whose SMS centre is this test, Kannel's delivery reports come back to the e2e server's report
 * route, and opening the link from the SMS installs the software: the job page says Downloaded,
 * the Outbox says Delivered with each report. Then a WAP push, read from the SI at the SMS centre.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt, randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { db } from "@/lib/db/client";
import { decodeSi } from "@/lib/delivery/wap/si";
import { decodeWspPush } from "@/lib/delivery/wap/wsp";
import { createTestDevice, createTestSoftware } from "@/lib/testing/factories";
import { startKannel, type KannelInstance } from "@/lib/testing/kannel";

let kannel: KannelInstance;
let worker: ChildProcess;

test.beforeAll(async ({ baseURL }) => {
  kannel = await startKannel();
  worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      DEPLOYDESK_KANNEL_SENDSMS_URL: kannel.sendsmsUrl,
      DEPLOYDESK_KANNEL_PPG_URL: kannel.ppgUrl,
      DEPLOYDESK_SMS_SENDER: "4242",
      // The reports go to the server under test.
      DEPLOYDESK_DELIVERY_CALLBACK_URL: baseURL!,
      DEPLOYDESK_OUTBOX_WORKERS: "2",
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    worker.on("message", (m: { ready?: boolean }) => m.ready && resolve());
    worker.once("exit", (code) => reject(new Error(`the worker exited (${code})`)));
  });
});

test.afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker.once("exit", r));
    worker.kill("SIGTERM");
    await exited;
  }
  await kannel?.stop();
});

async function installWith(page: Page, method: "SMS push" | "WAP push") {
  const device = await createTestDevice();
  const name = `Phone ${randomUUID().slice(0, 8)}`;
  const phone = `+1555${randomInt(1_000_000, 9_999_999)}`;
  await db().device.update({ where: { id: device.id }, data: { name, phoneNumber: phone } });
  const software = await createTestSoftware("OTHER_SOFTWARE", "1.0", Buffer.from(`delivery e2e ${randomUUID()}`));
  await page.goto("/install");
  await page.getByRole("link", { name: `${software.name} 1.0` }).click();
  await page.getByLabel("Search devices").fill(name);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("devices")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("devices").getByRole("row")).toHaveCount(2);
  await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  await page.getByRole("button", { name: `Install on ${name}…` }).click();
  const dialog = page.getByRole("dialog", { name: "Installation" });
  await dialog.getByRole("radio", { name: new RegExp(`^${method}`) }).check();
  await dialog.getByRole("button", { name: "Install" }).click();
  await expect(page).toHaveURL(/\/batches\/\d+$/);
  const job = await db().installationJob.findFirstOrThrow({ where: { deviceId: device.id, softwareId: software.id }, select: { id: true } });
  return { phone, software, jobId: job.id };
}

test("an SMS push reaches the phone through Kannel; its reports come back; its link installs the software", async ({ page }) => {
  const { phone, software, jobId } = await installWith(page, "SMS push");
  const sms = await kannel.smsc.next((m) => m.to === phone, 20_000);
  expect(sms.from).toBe("4242");
  const link = /(http:\/\/\S+)$/.exec(sms.text ?? "")?.[1];
  expect(sms.text).toBe(`Install ${software.name} 1.0: ${link}`);

  // The message in the Outbox: delivered, with the gateway's answer and both reports.
  const message = await db().outboundMessage.findFirstOrThrow({ where: { jobId }, select: { id: true } });
  await page.goto(`/outbox/${message.id}`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("message-state")).toContainText("Delivered", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  const events = page.getByTestId("message-events");
  await expect(events).toContainText("Attempt 1 through kannel-sendsms.");
  await expect(events).toContainText("Gateway: HTTP 202: 0: Accepted for delivery");
  await expect(events).toContainText("DLR 8: accepted by the SMS centre");
  await expect(events).toContainText("DLR 1: delivered to the phone");
  await expect(page.getByTestId("message-preview")).toContainText(link!);
  await page.screenshot({ path: "test-results/screens/outbox-delivered.png", fullPage: true });

  // The phone opens the link: the package comes, and the job is Downloaded.
  const opened = await page.request.get(link!);
  expect(opened.status()).toBe(200);
  expect((await opened.body()).length).toBeGreaterThan(0);
  await page.goto(`/jobs/${jobId}`);
  await expect(page.locator("[data-status]").first()).toHaveText("Downloaded");
});

test("a WAP push arrives as a Service Indication carrying the job's link", async ({ page }) => {
  const { phone, jobId } = await installWith(page, "WAP push");
  const push = await kannel.smsc.next((m) => m.to === phone, 20_000);
  const si = decodeSi(decodeWspPush(push.data!).body);
  const message = await db().outboundMessage.findFirstOrThrow({ where: { jobId }, select: { id: true, content: true } });
  expect(si.href).toBe((message.content as { link: string }).link);
  await page.goto(`/outbox/${message.id}`);
  await expect(page.getByTestId("message-preview")).toContainText(si.href);
});

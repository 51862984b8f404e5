/** Retry and Cancel from a job's page, and what the device sees at its next poll. */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { loadSampleBody } from "@/lib/device-protocol/fixtures";
import { createTestDevice, createTestJob, createTestSoftware, statusXml, type TestDevice } from "@/lib/testing/factories";

function post(request: APIRequestContext, device: TestDevice, action: "Poll" | "Status", body: string) {
  return request.post("/api/dm", { headers: { "X-Device-UUID": device.deviceUuid, "X-Device-Auth": device.token, "X-Device-Action": action }, data: body });
}
const poll = (request: APIRequestContext, device: TestDevice) =>
  post(request, device, "Poll", loadSampleBody("poll-request").replace("43004500500043000000434550434B5335343934350000000000", device.deviceUuid));

test("a failed job is retried (attempt 2), then cancelled, and its package leaves the next poll", async ({ page, request }) => {
  const device = await createTestDevice();
  const software = await createTestSoftware();
  const job = await createTestJob(device.id, software.id);
  expect(await (await poll(request, device)).text()).toContain(software.packageId);
  expect((await post(request, device, "Status", statusXml([{ packageId: software.packageId, messageId: "11032", timestamp: "2026-11-20 10:00:00", returnCode: "5" }]))).status()).toBe(200);

  await page.goto(`/jobs/${job.id}`);
  await expect(page.locator("[data-status]").first()).toHaveText("Installation failed");
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("form-status")).toHaveText("Retried: attempt 2 has started.");
  await expect(page.getByTestId("job-attempts")).toHaveText("2");
  await expect(page.locator("[data-status]").first()).toHaveText("Waiting for download");
  await page.screenshot({ path: "test-results/screens/job.png", fullPage: true });

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(page.getByTestId("form-status")).toHaveText("Cancelled: the package leaves the device's next poll.");
  expect(await (await poll(request, device)).text()).not.toContain(software.packageId);

  // The device page's Installing table no longer shows it; its attempt count was visible there.
  await page.goto(`/devices/${device.deviceUuid}`);
  await expect(page.getByRole("table", { name: "Installing", exact: true })).toContainText("Nothing is being installed");
});

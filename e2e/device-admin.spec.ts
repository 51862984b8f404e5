/** Registering, editing and removing a device, and the server settings reaching a poll. */
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { statusXml } from "@/lib/testing/factories";

test("register a device, use its token, edit it, reset its token and remove it", async ({ page, request }) => {
  const uuid = randomUUID().replaceAll("-", "").toUpperCase();
  await page.goto("/devices/new");
  const form = page.getByRole("form", { name: "Register a device" });
  await form.getByLabel("X-Device-UUID").fill(uuid);
  await form.getByLabel("Name").fill("Forklift 7");
  await form.getByLabel("Phone number").fill("not a number");
  await form.getByRole("button", { name: "Register device" }).click();
  await expect(form.locator(".field-error")).toHaveText("A phone number such as +44 20 7946 0958.");
  await expect(form.getByLabel("Name")).toHaveValue("Forklift 7");
  await form.getByLabel("Phone number").fill("+1 555 0100");
  await form.getByRole("button", { name: "Register device" }).click();
  const token = await page.getByTestId("new-device-token").inputValue();
  expect(token.length).toBeGreaterThan(20);

  const poll = (auth: string) =>
    request.post("/api/dm", { headers: { "X-Device-UUID": uuid, "X-Device-Auth": auth, "X-Device-Action": "Status" }, data: statusXml([]) });
  expect((await poll(token)).status()).toBe(200);

  await page.getByRole("link", { name: "Open the device" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forklift 7");
  await page.getByText("Edit, reset token or remove this device").click();
  const edit = page.getByRole("form", { name: "Edit device" });
  await edit.getByLabel("Name").fill("Forklift 7 (yard)");
  await edit.getByRole("button", { name: "Save device" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forklift 7 (yard)");

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("form", { name: "Reset device token" }).getByRole("button", { name: "Reset token" }).click();
  const second = await page.getByTestId("new-device-token").inputValue();
  expect((await poll(token)).status()).toBe(401);
  expect((await poll(second)).status()).toBe(200);

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("form", { name: "Remove device" }).getByRole("button", { name: "Remove device" }).click();
  await expect(page).toHaveURL(/\/devices$/);
  expect((await page.goto(`/devices/${uuid}`))?.status()).toBe(404);
});

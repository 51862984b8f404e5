/**
 * The JSON API with a token, as a script uses it against the running server: an Admin creates
 * an API token on the Users page, and the token uploads a package, finds devices, installs on
 * every device a filter matches, and reads the job; a Read-only user's token reads but is
 * refused changes; no token and a wrong one get 401, bad input 422, all in one envelope.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { db } from "@/lib/db/client";
import { createTestBearer, createTestDevice } from "@/lib/testing/factories";
import { E2E_ADMIN } from "./users";

test("an API token made in the console installs on every device a filter matches", async ({ page, playwright, baseURL }) => {
  await page.goto("/users");
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Acts as").selectOption({ label: E2E_ADMIN.email });
  await form.getByLabel("Token name").fill(`e2e script ${randomUUID().slice(0, 6)}`);
  await form.getByRole("button", { name: "Create token" }).click();
  const token = await form.getByTestId("new-api-token").inputValue();
  expect(token).toMatch(/^ddk_/);

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  expect(await (await api.get("/api/v1/me")).json()).toMatchObject({ email: E2E_ADMIN.email, role: "admin" });

  const platform = `API platform ${randomUUID().slice(0, 6)}`;
  const devices = [await createTestDevice(), await createTestDevice()];
  for (const d of devices) await db().device.update({ where: { id: d.id }, data: { platform } });

  const upload = await api.post("/api/v1/software", {
    multipart: { kind: "OTHER_SOFTWARE", name: `API package ${randomUUID().slice(0, 6)}`, version: "1.0", file: { name: "api.cab", mimeType: "application/octet-stream", buffer: Buffer.from(randomUUID()) } },
  });
  expect(upload.status()).toBe(201);
  const software = (await upload.json()) as { id: number };

  const list = await api.get(`/api/v1/devices?platform=${encodeURIComponent(platform)}`);
  expect(list.status()).toBe(200);
  expect(((await list.json()) as { devices: { deviceUuid: string }[] }).devices.map((d) => d.deviceUuid).sort()).toEqual(devices.map((d) => d.deviceUuid).sort());

  const install = await api.post("/api/v1/jobs", { data: { softwareId: software.id, deviceFilter: `platform=${encodeURIComponent(platform)}`, method: "SMS_PUSH" } });
  expect(install.status()).toBe(201);
  const batch = (await install.json()) as { batchId: number; jobs: { id: number; status: string }[] };
  expect(batch.jobs.map((j) => j.status)).toEqual(["Waiting for download", "Waiting for download"]);
  const job = await api.get(`/api/v1/jobs/${batch.jobs[0]!.id}`);
  expect(job.status()).toBe(200);

  const bad = await api.post("/api/v1/jobs", { data: { softwareId: software.id, deviceUuids: [], method: "CARRIER_PIGEON" } });
  expect(bad.status()).toBe(422);
  const envelope = (await bad.json()) as { error: { code: string; fields: { field: string }[] } };
  expect(envelope.error.code).toBe("VALIDATION_FAILED");
  expect(envelope.error.fields.map((f) => f.field).sort()).toEqual(["deviceUuids", "method"]);
  expect((await api.get("/api/v1/jobs/999999999")).status()).toBe(404);
  await api.dispose();

  const { token: readonlyToken } = await createTestBearer("readonly");
  const readonly = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${readonlyToken}` } });
  expect((await readonly.get(`/api/v1/devices?platform=${encodeURIComponent(platform)}`)).status()).toBe(200);
  const refused = await readonly.post("/api/v1/jobs", { data: { softwareId: software.id, deviceUuids: [devices[0]!.deviceUuid], method: "MARK_FOR_INSTALLATION" } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  await readonly.dispose();

  const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  expect((await anonymous.get("/api/v1/devices")).status()).toBe(401);
  expect((await anonymous.get("/api/v1/devices", { headers: { authorization: "Bearer ddk_wrong" } })).status()).toBe(401);
  expect(((await (await anonymous.get("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> }).paths).toHaveProperty("/api/v1/devices");
  await anonymous.dispose();
});

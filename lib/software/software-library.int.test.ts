/**
 * The library through POST/PATCH /api/v1/software, as a program would call it: the upload is
 * streamed to the file store with its size and SHA-256, refusals leave nothing behind, and
 * the library's rules (one default build per platform, upper-case package IDs) hold.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { POST as createSoftware } from "@/app/api/v1/software/route";
import { PATCH as patchSoftware } from "@/app/api/v1/software/[softwareId]/route";
import { db } from "@/lib/db/client";
import { storageDir } from "@/lib/storage/file-store";
import { createTestBearer } from "@/lib/testing/factories";

const tokenFor = async (role: "admin" | "superuser" | "readonly") => (await createTestBearer(role)).token;

function upload(token: string, fields: Record<string, string>, file?: { name: string; bytes: Buffer }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append("file", new Blob([new Uint8Array(file.bytes)]), file.name);
  return createSoftware(new Request("http://local/api/v1/software", { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form }), { params: Promise.resolve({}) });
}

const uploadsLeft = () => {
  try {
    return readdirSync(path.join(storageDir(), "uploads")).length;
  } catch {
    return 0;
  }
};

describe("uploading to the library", () => {
  it("stores the file with its size and SHA-256, and normalises the package ID", async () => {
    const token = await tokenFor("superuser");
    const bytes = Buffer.from(`package ${randomUUID()}`.repeat(5000));
    const guid = randomUUID();
    const res = await upload(token, { kind: "OTHER_SOFTWARE", name: `Tool ${guid.slice(0, 6)}`, version: "1.0", packageId: `{${guid.toLowerCase()}}` }, { name: "C:\\build\\tool.cab", bytes });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; packageId: string; fileSize: number; fileSha256: string };
    expect(body.packageId).toBe(guid.toUpperCase());
    expect(body.fileSize).toBe(bytes.length);
    expect(body.fileSha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    const row = await db().software.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.fileName).toBe("tool.cab");
    expect(uploadsLeft()).toBe(0);
  });

  it("refuses the same file twice, naming the entry that has it, and keeps that entry's file", async () => {
    const token = await tokenFor("superuser");
    const bytes = Buffer.from(randomUUID().repeat(100));
    const name = `Dup ${randomUUID().slice(0, 6)}`;
    expect((await upload(token, { kind: "OTHER_SOFTWARE", name, version: "1" }, { name: "a.cab", bytes })).status).toBe(201);
    const again = await upload(token, { kind: "OTHER_SOFTWARE", name: `${name} copy`, version: "2" }, { name: "b.cab", bytes });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe(`This file is already in the library as ${name} 1.`);
    const first = await db().software.findFirstOrThrow({ where: { name }, select: { storageKey: true } });
    expect(readdirSync(path.join(storageDir(), "packages"))).toContain(path.basename(first.storageKey!));
    expect(uploadsLeft()).toBe(0);
  });

  it("validates the fields (422), checks the role (403) and needs a file", async () => {
    const token = await tokenFor("superuser");
    const bytes = Buffer.from(randomUUID());
    const invalid = await upload(token, { kind: "DME_CLIENT", name: "Client", version: "9", packageId: "not-a-guid" }, { name: "c.cab", bytes });
    expect(invalid.status).toBe(422);
    const fields = ((await invalid.json()) as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field).sort();
    expect(fields).toEqual(["packageId", "platform"]);
    const noPlatform = await upload(token, { kind: "DME_CLIENT", name: "Client", version: "9" }, { name: "c.cab", bytes });
    expect(((await noPlatform.json()) as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field)).toEqual(["platform"]);
    expect((await upload(token, { kind: "OTHER_SOFTWARE", name: "No file", version: "1" })).status).toBe(422);
    expect((await upload(await tokenFor("readonly"), { kind: "OTHER_SOFTWARE", name: "x", version: "1" }, { name: "x.cab", bytes })).status).toBe(403);
    expect(uploadsLeft()).toBe(0);
  });
});

describe("editing entries", () => {
  it("keeps one default build per platform", async () => {
    const token = await tokenFor("admin");
    const platform = `Platform ${randomUUID().slice(0, 6)}`;
    const ids: number[] = [];
    for (const version of ["1.0", "2.0"]) {
      const res = await upload(token, { kind: "DME_CLIENT", name: "DME client", version, platform, defaultBuild: "true" }, { name: "dme.cab", bytes: Buffer.from(randomUUID()) });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: number }).id);
    }
    const defaults = async () => (await db().software.findMany({ where: { platform, defaultBuild: true }, select: { id: true } })).map((r) => r.id);
    expect(await defaults()).toEqual([ids[1]]);
    const patch = (body: unknown) =>
      patchSoftware(new Request("http://local", { method: "PATCH", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) }), {
        params: Promise.resolve({ softwareId: String(ids[0]) }),
      });
    const res = await patch({ defaultBuild: true, commandLine: "setup.exe /quiet", lowBandwidth: false, highBandwidth: true });
    expect(res.status).toBe(200);
    expect(await defaults()).toEqual([ids[0]]);
    expect(await db().software.findUniqueOrThrow({ where: { id: ids[0] }, select: { flags: true, commandLine: true } })).toEqual({ flags: 2, commandLine: "setup.exe /quiet" });
    expect((await patch({ lowBandwidth: false, highBandwidth: false, cradled: false })).status).toBe(422);
    expect((await patch({ unknownField: 1 })).status).toBe(422);
  });
});

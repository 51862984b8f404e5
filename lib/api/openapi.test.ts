import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, OPERATIONS } from "./openapi";

const API_DIR = path.resolve(import.meta.dirname, "../../app/api/v1");

/** Every route file under app/api/v1 as "METHOD /api/v1/path", with [x] segments as {x}. */
function routes(dir = API_DIR, prefix = "/api/v1"): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...routes(full, `${prefix}/${entry.replace(/^\[(\w+)\]$/, "{$1}")}`));
    else if (entry === "route.ts") {
      for (const m of readFileSync(full, "utf8").matchAll(/export (?:const|async function|function) (GET|POST|PATCH|DELETE)\b/g)) out.push(`${m[1]} ${prefix}`);
    }
  }
  return out;
}

// The document's own path and the id-style names differ only in spelling: {softwareId} → {id}.
const normal = (s: string) => s.replace(/\{\w+\}/g, "{}");

describe("the OpenAPI document", () => {
  it("lists exactly the routes that exist (the document itself aside)", () => {
    const documented = OPERATIONS.map((o) => normal(`${o.method.toUpperCase()} ${o.path}`)).sort();
    const existing = routes().filter((r) => !r.endsWith("/openapi.json")).map(normal).sort();
    expect(documented).toEqual(existing);
  });

  it("is OpenAPI 3.1 with the request schemas the routes validate with", () => {
    const doc = buildOpenApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const post = doc.paths["/api/v1/devices"]!.post as { requestBody: { content: Record<string, { schema: { required: string[]; additionalProperties: boolean } }> } };
    expect(post.requestBody.content["application/json"]!.schema.required).toEqual(["deviceUuid", "name"]);
    expect(post.requestBody.content["application/json"]!.schema.additionalProperties).toBe(false);
    const upload = doc.paths["/api/v1/software"]!.post as { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } };
    expect(Object.keys(upload.requestBody.content["multipart/form-data"]!.schema.properties)).toContain("file");
    expect((doc.paths["/api/v1/sessions"]!.post as { security: unknown[] }).security).toEqual([]);
    const list = doc.paths["/api/v1/jobs"]!.get as { parameters: { name: string; in: string; schema: { type?: string } }[] };
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["software", "state", "status", "method", "device", "batch", "sort", "dir", "cursor", "limit"]));
    expect(list.parameters.find((p) => p.name === "state")!.schema.type).toBe("array");
  });
});

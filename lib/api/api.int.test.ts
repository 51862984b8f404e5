/**
 * The JSON API's wrapper and its sign-in, through the real route handlers (as Next calls
 * them) on the real database: status codes, the one error envelope, and both kinds of token.
 */
import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { POST as sessions } from "@/app/api/v1/sessions/route";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { createTestUser } from "@/lib/testing/factories";
import { setUserRole } from "@/lib/users/manage-users";
import { apiRoute } from "./route";

const noParams = { params: Promise.resolve({}) };

function post(body: unknown, type = "application/json") {
  return sessions(
    new Request("http://local/api/v1/sessions", { method: "POST", headers: { "content-type": type, "x-deploydesk-client-address": "10.9.8.7" }, body: typeof body === "string" ? body : JSON.stringify(body) }),
    noParams,
  );
}

function get(handler: typeof me, token?: string) {
  return handler(new Request("http://local/api/v1/me", { headers: token ? { authorization: `Bearer ${token}` } : {} }), noParams);
}

describe("POST /api/v1/sessions", () => {
  it("answers 201 with a token that the API accepts, and sets no cookie", async () => {
    const user = await createTestUser("superuser");
    const res = await post({ email: user.email, password: user.password });
    expect(res.status).toBe(201);
    expect(res.headers.get("set-cookie")).toBeNull();
    const body = (await res.json()) as { token: string; expiresAt: string };
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const who = await get(me, body.token);
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({ email: user.email, role: "superuser" });
  });

  it("refuses in the one envelope: 401 wrong password, 422 bad fields, 415 not JSON", async () => {
    const user = await createTestUser("readonly");
    const wrong = await post({ email: user.email, password: "nope" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: "INVALID_CREDENTIALS", message: "Invalid email or password." } });
    const invalid = await post({ email: user.email, extra: 1 });
    expect(invalid.status).toBe(422);
    const fields = ((await invalid.json()) as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field).sort();
    expect(fields).toEqual(["", "password"]);
    expect((await post("{not json")).status).toBe(422);
    expect((await post("email=x", "application/x-www-form-urlencoded")).status).toBe(415);
  });
});

describe("bearer tokens", () => {
  it("401 without a token or with a bad one", async () => {
    const none = await get(me);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    expect((await get(me, "ddk_made-up")).status).toBe(401);
    expect((await get(me, "made-up-session")).status).toBe(401);
  });

  it("an API token acts with its user's current role until revoked", async () => {
    const admin = await createTestUser("admin");
    const bot = await createTestUser("readonly");
    const { token, row } = await createApiToken(admin.actor, { userId: bot.id, name: "nightly" });
    const guarded = apiRoute({ job: ["write"] }, async () => ({ ok: true }));
    expect((await get(me, token)).status).toBe(200);
    const refused = await get(guarded as typeof me, token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    await setUserRole(admin.actor, bot.id, "superuser");
    expect((await get(guarded as typeof me, token)).status).toBe(200);
    await revokeApiToken(admin.actor, row.id);
    expect((await get(me, token)).status).toBe(401);
  });

  it("only Admins create tokens", async () => {
    const superuser = await createTestUser("superuser");
    await expect(createApiToken(superuser.actor, { userId: superuser.id, name: "mine" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

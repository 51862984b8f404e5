import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { createTestUser } from "@/lib/testing/factories";
import { changeOwnPassword, createConsoleUser, ensureFirstAdmin, removeUser, setUserDisabled, setUserPassword, setUserRole } from "@/lib/users/manage-users";
import { actorFromHeaders } from "./session";
import { signIn, type RequestOrigin } from "./sign-in";
import { ACCOUNT_LIMIT } from "./sign-in-throttle";

const origin = (ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`): RequestOrigin => ({
  headers: new Headers({ "x-deploydesk-client-address": ip, "user-agent": "int-test" }),
  ipAddress: ip,
  userAgent: "int-test",
  via: "api",
});

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

async function auditActions(userEmail: string): Promise<string[]> {
  const rows = await db().auditEvent.findMany({ where: { userEmail }, orderBy: { id: "asc" }, select: { action: true } });
  return rows.map((r) => r.action);
}

describe("sign-in", () => {
  it("gives a session token that identifies the user, and refuses a wrong password the same way as an unknown email", async () => {
    const user = await createTestUser("superuser");
    const signedIn = await signIn({ email: user.email.toUpperCase(), password: user.password }, origin());
    expect(signedIn.actor.role).toBe("superuser");
    expect(signedIn.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 3600_000);

    const bearer = await actorFromHeaders(new Headers({ authorization: `Bearer ${signedIn.token}` }), "api");
    expect(bearer?.email).toBe(user.email);
    expect(await actorFromHeaders(new Headers({ authorization: "Bearer nonsense" }))).toBeNull();

    expect(await code(signIn({ email: user.email, password: "wrong password" }, origin()))).toBe("INVALID_CREDENTIALS");
    expect(await code(signIn({ email: `nobody-${randomUUID()}@example.test`, password: "x" }, origin()))).toBe("INVALID_CREDENTIALS");
    expect(await auditActions(user.email)).toEqual(["auth.sign_in", "auth.sign_in_failed"]);
  });

  it("throttles an account after repeated failures, from any address, even with the right password", async () => {
    const user = await createTestUser("readonly");
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect(await code(signIn({ email: user.email, password: "wrong" }, origin()))).toBe("INVALID_CREDENTIALS");
    expect(await code(signIn({ email: user.email, password: user.password }, origin()))).toBe("TOO_MANY_ATTEMPTS");
    // Another account from the same address is not affected.
    const other = await createTestUser("readonly");
    await expect(signIn({ email: other.email, password: other.password }, origin())).resolves.toBeTruthy();
  });

  it("a success clears the account's count", async () => {
    const user = await createTestUser("readonly");
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) await code(signIn({ email: user.email, password: "wrong" }, origin()));
    await signIn({ email: user.email, password: user.password }, origin());
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) expect(await code(signIn({ email: user.email, password: "wrong" }, origin()))).toBe("INVALID_CREDENTIALS");
    await expect(signIn({ email: user.email, password: user.password }, origin())).resolves.toBeTruthy();
  });

  it("a disabled user cannot sign in and loses the sessions it had", async () => {
    const admin = await createTestUser("admin");
    const user = await createTestUser("superuser");
    const { token } = await signIn({ email: user.email, password: user.password }, origin());
    await setUserDisabled(admin.actor, user.id, true);
    expect(await actorFromHeaders(new Headers({ authorization: `Bearer ${token}` }))).toBeNull();
    expect(await code(signIn({ email: user.email, password: user.password }, origin()))).toBe("ACCOUNT_DISABLED");
    await setUserDisabled(admin.actor, user.id, false);
    await expect(signIn({ email: user.email, password: user.password }, origin())).resolves.toBeTruthy();
  });
});

describe("managing users", () => {
  it("is for Admins only, checked by the service itself", async () => {
    const superuser = await createTestUser("superuser");
    const readonly = await createTestUser("readonly");
    const input = { email: `x-${randomUUID()}@example.test`, name: "X", role: "readonly", password: "long enough password" };
    expect(await code(createConsoleUser(superuser.actor, input))).toBe("FORBIDDEN");
    expect(await code(setUserRole(readonly.actor, superuser.id, "admin"))).toBe("FORBIDDEN");
    expect(await code(removeUser(superuser.actor, readonly.id))).toBe("FORBIDDEN");
  });

  it("validates input and refuses a second user with the same email", async () => {
    const admin = await createTestUser("admin");
    const bad = await createConsoleUser(admin.actor, { email: "not-an-email", name: "", role: "root", password: "short" }).catch((e) => e);
    expect(bad.code).toBe("VALIDATION_FAILED");
    expect(bad.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(["email", "name", "password", "role"]);
    const taken = await createConsoleUser(admin.actor, { email: admin.email, name: "Again", role: "readonly", password: "long enough password" }).catch((e) => e);
    expect(taken.code).toBe("CONFLICT");
  });

  it("keeps at least one enabled Admin, and records every change", async () => {
    await db().user.updateMany({ where: { role: "admin" }, data: { role: "superuser" } });
    const admin = await createTestUser("admin");
    expect(await code(setUserRole(admin.actor, admin.id, "readonly"))).toBe("CONFLICT");
    const second = await createTestUser("admin");
    await setUserRole(admin.actor, second.id, "superuser");
    expect(await code(removeUser(admin.actor, admin.id))).toBe("CONFLICT");
    await removeUser(admin.actor, second.id);
    expect(await db().user.findUnique({ where: { id: second.id } })).toBeNull();
    const trail = await db().auditEvent.findMany({ where: { userId: admin.id }, orderBy: { id: "asc" }, select: { action: true, targetId: true } });
    expect(trail).toEqual([
      { action: "user.set_role", targetId: second.id },
      { action: "user.remove", targetId: second.id },
    ]);
  });

  it("a new password signs the user out; the old one stops working", async () => {
    const admin = await createTestUser("admin");
    const user = await createTestUser("readonly");
    const { token } = await signIn({ email: user.email, password: user.password }, origin());
    await setUserPassword(admin.actor, user.id, "a brand new password");
    expect(await actorFromHeaders(new Headers({ authorization: `Bearer ${token}` }))).toBeNull();
    expect(await code(signIn({ email: user.email, password: user.password }, origin()))).toBe("INVALID_CREDENTIALS");
    const again = await signIn({ email: user.email, password: "a brand new password" }, origin());
    expect(await code(changeOwnPassword(again.actor, { currentPassword: "wrong", newPassword: "another new password" }))).toBe("VALIDATION_FAILED");
    await changeOwnPassword(again.actor, { currentPassword: "a brand new password", newPassword: "another new password" });
    await expect(signIn({ email: user.email, password: "another new password" }, origin())).resolves.toBeTruthy();
  });
});

describe("the first Admin", () => {
  it("comes from the environment when set, and is never overwritten", async () => {
    const email = `env-admin-${randomUUID()}@example.test`;
    const env = { DEPLOYDESK_ADMIN_EMAIL: email, DEPLOYDESK_ADMIN_PASSWORD: "environment password" };
    expect(await ensureFirstAdmin(env)).toEqual({ email, generatedPassword: null });
    expect(await ensureFirstAdmin({ ...env, DEPLOYDESK_ADMIN_PASSWORD: "changed" })).toBeNull();
    await expect(signIn({ email, password: "environment password" }, origin())).resolves.toBeTruthy();
    await expect(ensureFirstAdmin({ DEPLOYDESK_ADMIN_EMAIL: email })).rejects.toThrow(/both/);
  });

  it("is generated once when there is no Admin at all", async () => {
    // This file's users are its own: demote every Admin so the console has none.
    await db().user.updateMany({ where: { role: "admin" }, data: { role: "readonly" } });
    await db().user.deleteMany({ where: { email: "admin@deploydesk.local" } });
    const first = await ensureFirstAdmin({});
    expect(first?.email).toBe("admin@deploydesk.local");
    expect(first?.generatedPassword?.length).toBeGreaterThanOrEqual(20);
    expect(await ensureFirstAdmin({})).toBeNull();
    await expect(signIn({ email: first!.email, password: first!.generatedPassword! }, origin())).resolves.toBeTruthy();
  });
});

/**
 * Console users: created, re-roled, disabled, given a password and removed by an Admin. Each
 * operation checks the actor's permission itself and leaves an audit event.
 *
 * Password hashing and sessions stay better-auth's (createUser, its password hasher, its
 * session store); the role and disabled flags are plain columns of its user table, written
 * here in one transaction with the audit row.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, SYSTEM_ACTOR, type Actor } from "@/lib/auth/actor";
import { auth } from "@/lib/auth/auth";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { changePasswordSchema, newUserSchema, passwordSchema, roleSchema, type NewUser } from "./user-schemas";
import { parseOrThrow } from "@/lib/validation";

export type ConsoleUser = { id: string; email: string; name: string; role: string | null; disabled: boolean; createdAt: Date };

export async function createConsoleUser(actor: Actor, input: unknown): Promise<ConsoleUser> {
  assertCan(actor, { user: ["create"] });
  const data: NewUser = parseOrThrow(newUserSchema, input);
  const existing = await db().user.findUnique({ where: { email: data.email }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", `A user with the email ${data.email} already exists.`, { fields: [{ field: "email", message: "This email is taken." }] });
  const { user } = await (await auth()).api.createUser({ body: { email: data.email, name: data.name, password: data.password, role: data.role } });
  await recordAudit(actor, "user.create", { type: "user", id: user.id }, { email: data.email, role: data.role });
  return { id: user.id, email: user.email, name: user.name, role: data.role, disabled: false, createdAt: user.createdAt };
}

async function targetUser(id: string) {
  const user = await db().user.findUnique({ where: { id }, select: { id: true, email: true, role: true, banned: true } });
  if (!user) throw new AppError("NOT_FOUND", "No such user.");
  return user;
}

/** The console must keep someone who can manage users. */
async function assertAnotherAdminRemains(userId: string, what: string) {
  const others = await db().user.count({ where: { role: "admin", banned: { not: true }, id: { not: userId } } });
  if (others === 0) throw new AppError("CONFLICT", `${what} would leave no enabled Admin.`);
}

export async function setUserRole(actor: Actor, userId: string, role: unknown): Promise<void> {
  assertCan(actor, { user: ["set-role"] });
  const next: Role = parseOrThrow(roleSchema, role, "role");
  const user = await targetUser(userId);
  if (user.role === next) return;
  if (user.role === "admin") await assertAnotherAdminRemains(user.id, "Changing this role");
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { role: next } });
    await recordAudit(actor, "user.set_role", { type: "user", id: user.id }, { email: user.email, before: user.role, after: next }, tx);
  });
}

export async function setUserDisabled(actor: Actor, userId: string, disabled: boolean): Promise<void> {
  assertCan(actor, { user: ["ban"] });
  const user = await targetUser(userId);
  if (user.id === actor.userId && disabled) throw new AppError("CONFLICT", "You cannot disable yourself.");
  if (Boolean(user.banned) === disabled) return;
  if (disabled && user.role === "admin") await assertAnotherAdminRemains(user.id, "Disabling this user");
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { banned: disabled, banReason: disabled ? `Disabled by ${actor.email}` : null } });
    // Disabling ends every session at once; better-auth refuses new ones while banned.
    if (disabled) await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(actor, disabled ? "user.disable" : "user.enable", { type: "user", id: user.id }, { email: user.email }, tx);
  });
}

export async function setUserPassword(actor: Actor, userId: string, password: unknown): Promise<void> {
  assertCan(actor, { user: ["set-password"] });
  const plain = parseOrThrow(passwordSchema, password, "password");
  const user = await targetUser(userId);
  const hash = await (await auth()).$context.then((ctx) => ctx.password.hash(plain));
  await db().$transaction(async (tx) => {
    const updated = await tx.account.updateMany({ where: { userId: user.id, providerId: "credential" }, data: { password: hash } });
    if (updated.count === 0) {
      await tx.account.create({ data: { id: crypto.randomUUID(), accountId: user.id, providerId: "credential", userId: user.id, password: hash } });
    }
    // Whoever knew the old password is signed out.
    await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(actor, "user.set_password", { type: "user", id: user.id }, { email: user.email }, tx);
  });
}

export async function changeOwnPassword(actor: Actor, input: unknown): Promise<void> {
  const { currentPassword, newPassword: plain } = parseOrThrow(changePasswordSchema, input);
  const ctx = await (await auth()).$context;
  const account = await db().account.findFirst({ where: { userId: actor.userId, providerId: "credential" }, select: { id: true, password: true } });
  if (!account?.password || !(await ctx.password.verify({ hash: account.password, password: currentPassword }))) {
    throw new AppError("VALIDATION_FAILED", "The current password is not right.", { fields: [{ field: "currentPassword", message: "Not your current password." }] });
  }
  const hash = await ctx.password.hash(plain);
  await db().$transaction(async (tx) => {
    await tx.account.update({ where: { id: account.id }, data: { password: hash } });
    await recordAudit(actor, "auth.password_change", { type: "user", id: actor.userId }, {}, tx);
  });
}

export async function removeUser(actor: Actor, userId: string): Promise<void> {
  assertCan(actor, { user: ["delete"] });
  const user = await targetUser(userId);
  if (user.id === actor.userId) throw new AppError("CONFLICT", "You cannot remove yourself.");
  if (user.role === "admin") await assertAnotherAdminRemains(user.id, "Removing this user");
  await db().$transaction(async (tx) => {
    await tx.user.delete({ where: { id: user.id } });
    await recordAudit(actor, "user.remove", { type: "user", id: user.id }, { email: user.email, role: user.role }, tx);
  });
}

export async function listConsoleUsers(actor: Actor): Promise<ConsoleUser[]> {
  assertCan(actor, { user: ["list"] });
  const users = await db().user.findMany({
    orderBy: [{ email: "asc" }],
    select: { id: true, email: true, name: true, role: true, banned: true, createdAt: true },
  });
  return users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, disabled: Boolean(u.banned), createdAt: u.createdAt }));
}

export function roleLabel(role: string | null): string {
  return role && role in ROLE_LABELS ? ROLE_LABELS[role as Role] : "No role";
}

export type FirstAdmin = { email: string; generatedPassword: string | null } | null;

/**
 * At start-up: make sure someone can sign in. With DEPLOYDESK_ADMIN_EMAIL and
 * DEPLOYDESK_ADMIN_PASSWORD, that user exists as an Admin (created if missing; an existing
 * user's password is never overwritten). Without them, when there is no Admin at all, one is
 * created with a generated password that the caller prints once: it is stored only hashed.
 * Returns what was created, or null when nothing was.
 */
export async function ensureFirstAdmin(env: Record<string, string | undefined> = process.env): Promise<FirstAdmin> {
  const email = env.DEPLOYDESK_ADMIN_EMAIL?.trim().toLowerCase();
  const password = env.DEPLOYDESK_ADMIN_PASSWORD;
  if (email || password) {
    if (!email || !password) throw new Error("Set both DEPLOYDESK_ADMIN_EMAIL and DEPLOYDESK_ADMIN_PASSWORD, or neither.");
    if (await db().user.findUnique({ where: { email }, select: { id: true } })) return null;
    await createConsoleUser(SYSTEM_ACTOR, { email, name: "Administrator", role: "admin", password });
    return { email, generatedPassword: null };
  }
  if ((await db().user.count({ where: { role: "admin" } })) > 0) return null;
  const generated = crypto.getRandomValues(new Uint8Array(15));
  const generatedPassword = Buffer.from(generated).toString("base64url");
  const fallbackEmail = "admin@deploydesk.local";
  try {
    await createConsoleUser(SYSTEM_ACTOR, { email: fallbackEmail, name: "Administrator", role: "admin", password: generatedPassword });
  } catch (error) {
    // Another app process created it at the same moment: theirs stands, and they print it.
    if (await db().user.findUnique({ where: { email: fallbackEmail }, select: { id: true } })) return null;
    throw error;
  }
  return { email: fallbackEmail, generatedPassword };
}

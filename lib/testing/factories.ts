/**
 * Test data through the real data layer. Every call makes uniquely named rows, so tests (and
 * the e2e suite) share a database without cleaning up after each other.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { fileStore } from "@/lib/storage/file-store";
import { db } from "@/lib/db/client";
import { hashDeviceToken } from "@/lib/devices/credentials";
import { sql } from "@/lib/db/sql";
import { buildStatusDocument } from "@/lib/device-protocol/status-report";
import { createJob } from "@/lib/installation-jobs/job-writer";
import type { InstallMethod, SoftwareKind } from "@/lib/installation-jobs/status-model";

export type TestDevice = { id: number; deviceUuid: string; token: string; name: string };

export async function createTestDevice(patch: { clientVersion?: string; omaDmBootstrapped?: boolean } = {}): Promise<TestDevice> {
  const deviceUuid = randomUUID().replaceAll("-", "").toUpperCase();
  const token = randomUUID();
  const name = `Test device ${deviceUuid.slice(0, 8)}`;
  const device = await db().device.create({
    data: { deviceUuid, name, platform: "Test platform", ...patch, credentials: { create: { tokenHash: hashDeviceToken(token) } } },
    select: { id: true },
  });
  return { id: device.id, deviceUuid, token, name };
}

export async function createTestSoftware(
  kind: SoftwareKind = "OTHER_SOFTWARE",
  version = "1.0",
  file?: Buffer,
): Promise<{ id: number; packageId: string; name: string; sha256: string | null }> {
  const packageId = randomUUID().toUpperCase();
  const name = `Test package ${packageId.slice(0, 8)}`;
  let stored: { fileName: string; fileSize: bigint; fileSha256: string; storageKey: string } | null = null;
  if (file) {
    const storageKey = `packages/${packageId}`;
    const { size, sha256 } = await fileStore().put(storageKey, Readable.from([file]));
    stored = { fileName: "setup.cab", fileSize: BigInt(size), fileSha256: sha256, storageKey };
  }
  const software = await db().software.create({ data: { name, version, kind, packageId, ...stored }, select: { id: true } });
  return { id: software.id, packageId, name, sha256: stored?.fileSha256 ?? null };
}

export async function createTestJob(deviceId: number, softwareId: number, method: InstallMethod = "MARK_FOR_INSTALLATION", now = new Date()) {
  return sql().transaction((tx) => createJob(tx, { deviceId, softwareId, method, now }));
}

/** A well-formed status document with the given messages. */
export function statusXml(messages: { packageId: string; messageId: string; timestamp?: string; returnCode?: string }[]): string {
  return buildStatusDocument(
    messages.map((m) => ({ packageId: m.packageId, messageId: m.messageId, timestamp: m.timestamp ?? null, parameters: [{ name: "Return code", value: m.returnCode ?? "0" }] })),
  );
}

export type TestUser = { id: string; email: string; password: string; actor: import("@/lib/auth/actor").Actor };

/** A console user with a known password, created through the real service. */
export async function createTestUser(role: import("@/lib/auth/roles").Role = "admin"): Promise<TestUser> {
  const { SYSTEM_ACTOR } = await import("@/lib/auth/actor");
  const { createConsoleUser } = await import("@/lib/users/manage-users");
  const email = `test-${randomUUID().slice(0, 12)}@example.test`;
  const password = `pw-${randomUUID()}`;
  const user = await createConsoleUser(SYSTEM_ACTOR, { email, name: `Test ${role}`, role, password });
  return {
    id: user.id,
    email,
    password,
    actor: { userId: user.id, email, name: user.name, role, via: "console", ipAddress: "127.0.0.1", userAgent: "test" },
  };
}

/**
 * A console user of `role` signed in through the real sign-in path, with the bearer token the
 * JSON API takes. Each call comes from its own made-up address, so the sign-in throttle of one
 * test never meets another's.
 */
export async function createTestBearer(role: import("@/lib/auth/roles").Role = "superuser"): Promise<{ token: string; user: TestUser }> {
  const { signIn } = await import("@/lib/auth/sign-in");
  const user = await createTestUser(role);
  const ipAddress = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  const { token } = await signIn({ email: user.email, password: user.password }, { headers: new Headers(), ipAddress, userAgent: "test", via: "api" });
  return { token, user };
}

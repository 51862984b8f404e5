/**
 * X-Device-Auth tokens are stored as SHA-256 hex. Tokens are server-issued or long random
 * strings, so a fast hash is enough (as for API tokens); the database never holds the token.
 */
import { createHash, randomUUID } from "node:crypto";

export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new token in the shape the CE samples use (a GUID). */
export function generateDeviceToken(): string {
  return randomUUID();
}

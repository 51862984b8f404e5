/**
 * X-Device-Auth tokens are stored as SHA-256 hex. Tokens are server-issued or long random
 * strings, so a fast hash is enough (as for API tokens); the database never holds the token.
 */
import { createHash } from "node:crypto";

export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

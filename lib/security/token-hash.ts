/**
 * Long random bearer secrets (device tokens, API tokens) are stored as SHA-256 hex. They carry
 * 256 bits of randomness, so a fast hash is enough (as GitHub does for its tokens): the
 * database never holds a usable token, and a lookup by hash needs no per-row work.
 */
import { createHash, randomBytes } from "node:crypto";

export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** 32 random bytes, base64url, after a prefix that says what the token is for. */
export function newSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

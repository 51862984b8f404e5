/** X-Device-Auth tokens are stored as SHA-256 hex (lib/security/token-hash.ts says why). */
import { hashSecretToken } from "@/lib/security/token-hash";

export const hashDeviceToken = hashSecretToken;

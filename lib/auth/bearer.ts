/**
 * The caller of a JSON API request, from `Authorization: Bearer <token>`: a session token
 * from POST /api/v1/sessions (checked by better-auth, so it expires and is revoked like a
 * console session), or a long-lived API token (lib/auth/api-tokens.ts).
 */
import { AppError } from "@/lib/errors";
import { CLIENT_ADDRESS_HEADER } from "@/lib/server/trusted-headers";
import type { Actor } from "./actor";
import { actorFromApiToken, isApiToken } from "./api-tokens";
import { actorFromHeaders } from "./session";

export async function actorFromBearer(headers: Headers): Promise<Actor> {
  const header = headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError("UNAUTHENTICATED", "Send Authorization: Bearer <token> (POST /api/v1/sessions gives one).");
  const token = match[1]!;
  const actor = isApiToken(token)
    ? await actorFromApiToken(token, headers)
    : await actorFromHeaders(new Headers({ authorization: `Bearer ${token}`, ...pick(headers, ["user-agent", CLIENT_ADDRESS_HEADER]) }), "api");
  if (!actor) throw new AppError("UNAUTHENTICATED", "The token is not valid (expired, revoked or mistyped).");
  return actor;
}

function pick(headers: Headers, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (headers.get(n) ? [[n, headers.get(n)!]] : [])));
}

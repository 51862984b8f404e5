/**
 * The one wrapper around every /api/v1 route handler (as dub's withWorkspace does): it owns
 * authentication (Authorization: Bearer, a session token or an API token), the JSON body
 * (media type, size, syntax, then the route's schema) and the mapping of errors to the
 * envelope, so handlers hold no try/catch and cannot forget a check. Cookies are not accepted
 * here: a browser session cannot be ridden by another site's form post.
 */
import type { z } from "zod";
import { actorFromBearer } from "@/lib/auth/bearer";
import { actorFromHeaders } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { CLIENT_ADDRESS_HEADER } from "@/lib/server/trusted-headers";
import { parseOrThrow } from "@/lib/validation";
import { jsonResponse, unexpectedErrorResponse } from "./errors";

const MAX_JSON_BYTES = 1024 * 1024;

export type ApiContext<P> = { request: Request; actor: Actor; params: P };
type Handler<P> = (ctx: ApiContext<P>) => Promise<Response | unknown>;
type NextContext<P> = { params: Promise<P> };

/** The request's JSON body, checked against `schema`: 415, 413 or 422 otherwise. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_JSON_BYTES) throw new AppError("BODY_TOO_LARGE", `The body is over ${MAX_JSON_BYTES} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) throw new AppError("BODY_TOO_LARGE", `The body is over ${MAX_JSON_BYTES} bytes.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION_FAILED", "The body is not valid JSON.", { fields: [{ field: "", message: "not valid JSON" }] });
  }
  return parseOrThrow(schema, value);
}

export function requestOrigin(request: Request) {
  return { ipAddress: request.headers.get(CLIENT_ADDRESS_HEADER), userAgent: request.headers.get("user-agent") };
}

function toResponse(result: unknown, status = 200): Response {
  return result instanceof Response ? result : jsonResponse(result, status);
}

/** A route anyone may call (signing in). */
export function publicApiRoute<P = Record<string, never>>(handler: (ctx: { request: Request; params: P }) => Promise<Response | unknown>) {
  return async (request: Request, context: NextContext<P>): Promise<Response> => {
    try {
      return toResponse(await handler({ request, params: await context.params }));
    } catch (error) {
      return unexpectedErrorResponse(error);
    }
  };
}

/** A route for a signed-in caller whose role allows `permission`. */
export function apiRoute<P = Record<string, never>>(permission: Permission | null, handler: Handler<P>) {
  return async (request: Request, context: NextContext<P>): Promise<Response> => {
    try {
      const actor = await actorFromBearer(request.headers);
      if (permission) assertCan(actor, permission);
      return toResponse(await handler({ request, actor, params: await context.params }));
    } catch (error) {
      return unexpectedErrorResponse(error);
    }
  };
}

/**
 * A read-only route for the console's own browser code, which cannot always send headers (an
 * EventSource cannot): the browser session's cookie, or `Authorization: Bearer` as in the API,
 * for scripts. Reads only, because a browser sends the cookie along with another site's request
 * too: such a request can change nothing here, and without CORS headers that site cannot read
 * the answer.
 */
export function sessionRoute<P = Record<string, never>>(permission: Permission, handler: Handler<P>) {
  return async (request: Request, context: NextContext<P>): Promise<Response> => {
    try {
      if (request.method !== "GET" && request.method !== "HEAD") throw new AppError("METHOD_NOT_ALLOWED", "Only GET is served here.");
      const actor = request.headers.has("authorization")
        ? await actorFromBearer(request.headers)
        : await actorFromHeaders(request.headers);
      if (!actor) throw new AppError("UNAUTHENTICATED", "Sign in first (or send Authorization: Bearer <token>).");
      assertCan(actor, permission);
      return toResponse(await handler({ request, actor, params: await context.params }));
    } catch (error) {
      return unexpectedErrorResponse(error);
    }
  };
}

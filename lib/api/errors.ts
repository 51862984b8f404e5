/**
 * The JSON API's error table and envelope. Total over ErrorCode (a new code does not compile
 * until it is placed here), and every error leaves as
 *   { "error": { "code": "VALIDATION_FAILED", "message": "…", "fields": [{ "field", "message" }] } }
 */
import { isAppError, type AppError, type ErrorCode } from "@/lib/errors";

export const API_ERROR_STATUS: { [C in ErrorCode]: number } = {
  MISSING_CREDENTIALS: 401,
  UNKNOWN_DEVICE: 404,
  WRONG_TOKEN: 401,
  METHOD_NOT_ALLOWED: 405,
  MISSING_ACTION: 400,
  UNKNOWN_ACTION: 400,
  UNKNOWN_REPORT_TYPE: 400,
  DUPLICATE_HEADER: 400,
  BODY_TOO_LARGE: 413,
  BAD_ENCODING: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BAD_XML: 400,
  WRONG_ROOT: 400,
  WRONG_NAMESPACE: 400,
  INVALID_MESSAGE: 400,
  TOO_MANY_MESSAGES: 400,
  PACKAGE_NOT_ASSIGNED: 404,
  TICKET_INVALID: 403,
  TICKET_EXPIRED: 410,
  RANGE_NOT_SATISFIABLE: 416,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_DISABLED: 403,
  TOO_MANY_ATTEMPTS: 429,
  VALIDATION_FAILED: 422,
  CONFLICT: 409,
  DATABASE_UNAVAILABLE: 503,
};

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function errorResponse(error: AppError): Response {
  const status = API_ERROR_STATUS[error.code];
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (error.details?.retryAfterSeconds) headers["retry-after"] = String(error.details.retryAfterSeconds);
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="DeployDesk"';
  const body = { error: { code: error.code, message: error.message, ...(error.details?.fields ? { fields: error.details.fields } : {}) } };
  return new Response(JSON.stringify(body), { status, headers });
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? Number(v) : v)), { status, headers: JSON_HEADERS });
}

/** Anything that is not an AppError is a bug: logged here, answered without detail. */
export function unexpectedErrorResponse(error: unknown): Response {
  if (isAppError(error)) return errorResponse(error);
  console.error("api: unexpected error", error);
  return new Response(JSON.stringify({ error: { code: "INTERNAL", message: "The server failed to answer; the error is in its log." } }), {
    status: 500,
    headers: JSON_HEADERS,
  });
}

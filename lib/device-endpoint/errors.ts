/**
 * The device transport's error table: every domain code to the status code and reason phrase a
 * CE client gets (protocol §2.2 wants both on every response). Total over ErrorCode, so a new
 * code does not compile until it is placed here.
 */
import type { ErrorCode } from "@/lib/errors";

export type HttpAnswer = { status: number; reason: string };

const BAD_REQUEST: HttpAnswer = { status: 400, reason: "Bad Request" };
const UNAUTHORIZED: HttpAnswer = { status: 401, reason: "Unauthorized" };

export const DEVICE_ERROR_ANSWERS: { [C in ErrorCode]: HttpAnswer } = {
  MISSING_CREDENTIALS: UNAUTHORIZED,
  UNKNOWN_DEVICE: UNAUTHORIZED,
  WRONG_TOKEN: UNAUTHORIZED,
  METHOD_NOT_ALLOWED: { status: 405, reason: "Method Not Allowed" },
  MISSING_ACTION: BAD_REQUEST,
  UNKNOWN_ACTION: BAD_REQUEST,
  UNKNOWN_REPORT_TYPE: BAD_REQUEST,
  DUPLICATE_HEADER: BAD_REQUEST,
  BODY_TOO_LARGE: { status: 413, reason: "Payload Too Large" },
  BAD_ENCODING: BAD_REQUEST,
  UNSUPPORTED_MEDIA_TYPE: { status: 415, reason: "Unsupported Media Type" },
  BAD_XML: BAD_REQUEST,
  WRONG_ROOT: BAD_REQUEST,
  WRONG_NAMESPACE: BAD_REQUEST,
  INVALID_MESSAGE: BAD_REQUEST,
  TOO_MANY_MESSAGES: BAD_REQUEST,
  PACKAGE_NOT_ASSIGNED: { status: 404, reason: "Not Found" },
  TICKET_INVALID: { status: 403, reason: "Forbidden" },
  TICKET_EXPIRED: { status: 410, reason: "Gone" },
  RANGE_NOT_SATISFIABLE: { status: 416, reason: "Range Not Satisfiable" },
  NOT_FOUND: { status: 404, reason: "Not Found" },
  // Console codes never arise on the device path; mapped so the table stays total.
  UNAUTHENTICATED: UNAUTHORIZED,
  FORBIDDEN: { status: 403, reason: "Forbidden" },
  INVALID_CREDENTIALS: UNAUTHORIZED,
  ACCOUNT_DISABLED: { status: 403, reason: "Forbidden" },
  TOO_MANY_ATTEMPTS: { status: 429, reason: "Too Many Requests" },
  VALIDATION_FAILED: BAD_REQUEST,
  CONFLICT: { status: 409, reason: "Conflict" },
  DATABASE_UNAVAILABLE: { status: 503, reason: "Service Unavailable" },
};

/** Codes whose detail stays in the server log: a caller must not learn which check failed. */
export const SILENT_CODES: ReadonlySet<ErrorCode> = new Set(["MISSING_CREDENTIALS", "UNKNOWN_DEVICE", "WRONG_TOKEN"]);

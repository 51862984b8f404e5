/**
 * The one error class. Services throw it with a domain code saying what went wrong; each
 * transport maps codes to its own answer through one table (the device endpoint's is
 * lib/device-endpoint/errors.ts), so no handler holds its own try/catch logic and a new code
 * fails compilation until every transport has decided what it means.
 */
export type ErrorCode =
  // Identity (always answered 401 without detail; the detail is logged on the server).
  | "MISSING_CREDENTIALS"
  | "UNKNOWN_DEVICE"
  | "WRONG_TOKEN"
  // The request itself.
  | "METHOD_NOT_ALLOWED"
  | "MISSING_ACTION"
  | "UNKNOWN_ACTION"
  | "UNKNOWN_REPORT_TYPE"
  | "DUPLICATE_HEADER"
  | "BODY_TOO_LARGE"
  | "BAD_ENCODING"
  | "UNSUPPORTED_MEDIA_TYPE"
  // The document.
  | "BAD_XML"
  | "WRONG_ROOT"
  | "WRONG_NAMESPACE"
  | "INVALID_MESSAGE"
  | "TOO_MANY_MESSAGES"
  // The domain.
  | "PACKAGE_NOT_ASSIGNED"
  | "TICKET_INVALID"
  | "TICKET_EXPIRED"
  | "RANGE_NOT_SATISFIABLE"
  | "NOT_FOUND"
  // Console users and the JSON API.
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "INVALID_CREDENTIALS"
  | "ACCOUNT_DISABLED"
  | "TOO_MANY_ATTEMPTS"
  | "VALIDATION_FAILED"
  | "CONFLICT"
  // The server's own state.
  | "DATABASE_UNAVAILABLE";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** What a caller can act on: the fields of a VALIDATION_FAILED, the wait of TOO_MANY_ATTEMPTS. */
    readonly details?: AppErrorDetails,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export type FieldError = { field: string; message: string };
export type AppErrorDetails = { fields?: FieldError[]; retryAfterSeconds?: number };

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/**
 * The one error class. Services throw it with a string code; transports map the code to their
 * own status (HTTP here, one table) so that no handler holds its own try/catch logic.
 */
export type ErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "PAYLOAD_TOO_LARGE"
  | "NOT_IMPLEMENTED";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Status code and the reason phrase protocol §2.2 wants on every response. */
export const HTTP_STATUS: { [C in ErrorCode]: { status: number; reason: string } } = {
  BAD_REQUEST: { status: 400, reason: "Bad Request" },
  UNAUTHORIZED: { status: 401, reason: "Unauthorized" },
  PAYLOAD_TOO_LARGE: { status: 413, reason: "Payload Too Large" },
  NOT_IMPLEMENTED: { status: 501, reason: "Not Implemented" },
};

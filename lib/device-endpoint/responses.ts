import { AppError } from "@/lib/errors";
import { DEVICE_ERROR_ANSWERS, SILENT_CODES } from "./errors";
import type { DeviceResponse } from "./types";

const NO_STORE = { "cache-control": "no-store" };

export function textResponse(status: number, reason: string, text: string, headers: Record<string, string> = {}): DeviceResponse {
  return { status, reason, headers: { "content-type": "text/plain; charset=utf-8", ...NO_STORE, ...headers }, body: text };
}

/** The positive acknowledgement of protocol §2.2: 200 OK, empty body. */
export function okResponse(headers: Record<string, string> = {}): DeviceResponse {
  return textResponse(200, "OK", "", headers);
}

export function xmlResponse(xml: string, headers: Record<string, string> = {}): DeviceResponse {
  return { status: 200, reason: "OK", headers: { "content-type": "text/xml; charset=utf-8", ...NO_STORE, ...headers }, body: xml };
}

// Errors of the pg driver and of PostgreSQL that mean "the database is not there right now":
// connection refused or reset, the server shutting down, too many connections.
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08006"]);

function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
  return typeof e?.message === "string" && /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/.test(e.message);
}

/** How long a CE client should wait before retrying when the database is away. */
export const RETRY_AFTER_SECONDS = 30;

/** Maps any error to the device's answer: domain codes by the table, the rest a logged 500. */
export function errorResponse(error: unknown, extraHeaders: Record<string, string> = {}): DeviceResponse {
  const appError = error instanceof AppError ? error : isDatabaseUnavailable(error) ? new AppError("DATABASE_UNAVAILABLE", "The database is not reachable; retry later.") : null;
  if (!appError) {
    // Unknown errors are logged whole but never shown: the caller gets the generic phrase.
    console.error("device endpoint failed", error);
    return textResponse(500, "Internal Server Error", "Internal Server Error\n", extraHeaders);
  }
  const { status, reason } = DEVICE_ERROR_ANSWERS[appError.code];
  const headers = { ...extraHeaders, ...(appError.code === "DATABASE_UNAVAILABLE" ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {}) };
  if (SILENT_CODES.has(appError.code)) {
    console.warn(`device refused (${appError.code}): ${appError.message}`);
    return textResponse(status, reason, `${reason}\n`, headers);
  }
  if (appError.code === "DATABASE_UNAVAILABLE") console.warn(`device endpoint: database unavailable: ${(error as Error).message}`);
  return textResponse(status, reason, `${reason}: ${appError.message}\n`, headers);
}

/**
 * What the front server refuses before any handler sees a request: targets and methods that
 * crashed Next with a 500 (`TRACE`, a request target of `*`, paths that are not valid
 * percent-encoded UTF-8 or that hold control characters). Pure.
 */
export type Refusal = { status: number; reason: string; text: string; headers?: Record<string, string> };

const REFUSED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);
const ALLOWED = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

export function refuseRequest(method: string, target: string): Refusal | null {
  if (REFUSED_METHODS.has(method.toUpperCase())) {
    return { status: 405, reason: "Method Not Allowed", text: `${method} is not supported.`, headers: { allow: ALLOWED } };
  }
  // Origin-form only: `*` (asterisk-form) and absolute or authority forms are for proxies.
  if (!target.startsWith("/") || target.startsWith("//")) {
    return { status: 400, reason: "Bad Request", text: "The request target must be a path starting with /." };
  }
  const path = target.split(/[?#]/, 1)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { status: 400, reason: "Bad Request", text: "The path is not valid percent-encoded UTF-8." };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded)) {
    return { status: 400, reason: "Bad Request", text: "The path contains control characters." };
  }
  return null;
}

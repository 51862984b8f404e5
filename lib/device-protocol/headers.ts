/**
 * The X-Device-* request headers (protocol §2.3). The Fetch `Headers` object already matches
 * names case-insensitively (devices send `X-Device-Reporttype`); values are trimmed because the
 * samples mix `Name:value` and `Name: value`.
 */
import { AppError } from "@/lib/errors";

export const DEVICE_ACTIONS = ["Poll", "InstructionRequest", "LocationRequest", "Status", "Report"] as const;
export type DeviceAction = (typeof DEVICE_ACTIONS)[number];

function header(headers: Headers, name: string): string | null {
  const value = headers.get(name);
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** Identity first (401), then the action (400), so an unknown caller learns nothing else. */
export function readCredentials(headers: Headers): { deviceUuid: string; auth: string } {
  const deviceUuid = header(headers, "X-Device-UUID");
  if (deviceUuid === null) throw new AppError("UNAUTHORIZED", "The X-Device-UUID header is missing.");
  const auth = header(headers, "X-Device-Auth");
  if (auth === null) throw new AppError("UNAUTHORIZED", "The X-Device-Auth header is missing.");
  return { deviceUuid, auth };
}

export function readAction(headers: Headers): DeviceAction {
  const raw = header(headers, "X-Device-Action");
  if (raw === null) throw new AppError("BAD_REQUEST", "The X-Device-Action header is missing.");
  // Case-insensitive on input (the docs are inconsistent about case); canonical on output.
  const action = DEVICE_ACTIONS.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!action) {
    throw new AppError("BAD_REQUEST", `Unknown X-Device-Action "${raw}"; expected one of ${DEVICE_ACTIONS.join(", ")}.`);
  }
  return action;
}

/** X-Device-client-version: the version of the client software the device runs, if sent. */
export function readClientVersion(headers: Headers): string | null {
  return header(headers, "X-Device-client-version");
}

/** The X-Device-* headers as received, for the raw-message record; the credential is redacted. */
export function deviceHeaderRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower === "x-device-auth") out[name] = "[redacted]";
    else if (lower.startsWith("x-device-") || lower === "content-type") out[name] = value;
  });
  return out;
}

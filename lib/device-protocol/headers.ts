/**
 * The X-Device-* request headers (protocol §2.3). Names are matched case-insensitively
 * (devices send `X-Device-Reporttype`); values are trimmed because the samples mix
 * `Name:value` and `Name: value`. Each of these headers is sent once: two copies of one is a
 * broken or forged request, refused rather than guessed at.
 */
import { AppError } from "@/lib/errors";

export type HeaderValues = Record<string, string[]>;

export const DEVICE_ACTIONS = ["Poll", "InstructionRequest", "LocationRequest", "Status", "Report"] as const;
export type DeviceAction = (typeof DEVICE_ACTIONS)[number];

export const REPORT_TYPES = ["SoftwareInventory", "MachineInventory", "FileCollection"] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** The single trimmed value of a header, or null when absent or empty. */
export function singleHeader(headers: HeaderValues, name: string): string | null {
  const values = headers[name.toLowerCase()] ?? [];
  if (values.length > 1) throw new AppError("DUPLICATE_HEADER", `The ${name} header is sent ${values.length} times; send it once.`);
  const trimmed = values[0]?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

/** Identity first (401), then the action (400), so an unknown caller learns nothing else. */
export function readCredentials(headers: HeaderValues): { deviceUuid: string; auth: string } {
  const deviceUuid = singleHeader(headers, "X-Device-UUID");
  if (deviceUuid === null) throw new AppError("MISSING_CREDENTIALS", "The X-Device-UUID header is missing.");
  const auth = singleHeader(headers, "X-Device-Auth");
  if (auth === null) throw new AppError("MISSING_CREDENTIALS", "The X-Device-Auth header is missing.");
  return { deviceUuid, auth };
}

function oneOf<T extends string>(allowed: readonly T[], raw: string): T | undefined {
  // Case-insensitive on input (the docs are inconsistent about case); canonical on output.
  return allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
}

export function readAction(headers: HeaderValues): DeviceAction {
  const raw = singleHeader(headers, "X-Device-Action");
  if (raw === null) throw new AppError("MISSING_ACTION", "The X-Device-Action header is missing.");
  const action = oneOf(DEVICE_ACTIONS, raw);
  if (!action) throw new AppError("UNKNOWN_ACTION", `Unknown X-Device-Action "${raw}"; expected one of ${DEVICE_ACTIONS.join(", ")}.`);
  return action;
}

export function readReportType(headers: HeaderValues): ReportType {
  const raw = singleHeader(headers, "X-Device-ReportType");
  if (raw === null) throw new AppError("UNKNOWN_REPORT_TYPE", "X-Device-Action: Report needs an X-Device-ReportType header.");
  const type = oneOf(REPORT_TYPES, raw);
  if (!type) throw new AppError("UNKNOWN_REPORT_TYPE", `Unknown X-Device-ReportType "${raw}"; expected one of ${REPORT_TYPES.join(", ")}.`);
  return type;
}

/** X-Device-client-version: the version of the client software the device runs, if sent. */
export function readClientVersion(headers: HeaderValues): string | null {
  return singleHeader(headers, "X-Device-client-version");
}

/** The X-Device-* headers as received, for the raw-message record; the credential is redacted. */
export function deviceHeaderRecord(headers: HeaderValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (name === "x-device-auth") out[name] = "[redacted]";
    else if (name.startsWith("x-device-") || name === "content-type") out[name] = values.join(", ");
  }
  return out;
}

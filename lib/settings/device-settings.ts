/**
 * What a poll response tells a device to do (protocol §5.2): poll and retry timing and which
 * reports to send. A server-wide default (server_settings key `device_settings`) with a partial
 * per-device override (devices.settings); both optional, both validated on read so a bad value
 * falls back instead of breaking every poll. Pure, except `loadDefaultDeviceSettings`.
 */
import type { FileFilterItem } from "@/lib/device-protocol/poll";

export type ReportSetting = { enabled: boolean; intervalSeconds: number };

export type DeviceSettings = {
  pollIntervalSeconds: number;
  failureRetryCount: number;
  failureRetryIntervalSeconds: number;
  softwareInventory: ReportSetting & { fileFilters: FileFilterItem[] };
  fileCollection: ReportSetting & { fileFilters: FileFilterItem[] };
  machineInventory: ReportSetting;
};

/** The CE client's own registry defaults for timing (poll hourly, retry 5 times 3 minutes apart). */
export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  pollIntervalSeconds: 3600,
  failureRetryCount: 5,
  failureRetryIntervalSeconds: 180,
  softwareInventory: {
    enabled: true,
    intervalSeconds: 86_400,
    fileFilters: [{ filter: "*.exe", path: "\\Windows", recursive: false, excludeCompressed: false, excludeEncrypted: false }],
  },
  fileCollection: { enabled: false, intervalSeconds: 86_400, fileFilters: [] },
  machineInventory: { enabled: true, intervalSeconds: 86_400 },
};

/** What the duration format can write; intervals beyond it are ignored. */
export const MAX_SECONDS = 99 * 86_400 + 86_399;
/** The shortest interval a setting takes (retry intervals excepted). */
export const MIN_INTERVAL_SECONDS = 60;

function seconds(value: unknown, fallback: number, min = MIN_INTERVAL_SECONDS): number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= MAX_SECONDS ? value : fallback;
}

function count(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 100 ? value : fallback;
}

function filters(value: unknown, fallback: FileFilterItem[]): FileFilterItem[] {
  if (!Array.isArray(value)) return fallback;
  const ok = value.every(
    (f) =>
      f && typeof f.filter === "string" && typeof f.path === "string" &&
      typeof f.recursive === "boolean" && typeof f.excludeCompressed === "boolean" && typeof f.excludeEncrypted === "boolean",
  );
  return ok ? (value as FileFilterItem[]) : fallback;
}

function report<T extends ReportSetting>(base: T, o: unknown): T {
  const v = (o ?? {}) as Partial<T> & { fileFilters?: unknown };
  const merged = { ...base, enabled: typeof v.enabled === "boolean" ? v.enabled : base.enabled, intervalSeconds: seconds(v.intervalSeconds, base.intervalSeconds) };
  return "fileFilters" in base ? { ...merged, fileFilters: filters(v.fileFilters, (base as { fileFilters: FileFilterItem[] }).fileFilters) } : merged;
}

/** Layers an override (stored JSON, possibly malformed) over settings; what is invalid is ignored. */
export function applySettingsOverride(base: DeviceSettings, override: unknown): DeviceSettings {
  if (!override || typeof override !== "object") return base;
  const o = override as Record<string, unknown>;
  return {
    pollIntervalSeconds: seconds(o.pollIntervalSeconds, base.pollIntervalSeconds),
    failureRetryCount: count(o.failureRetryCount, base.failureRetryCount),
    failureRetryIntervalSeconds: seconds(o.failureRetryIntervalSeconds, base.failureRetryIntervalSeconds, 1),
    softwareInventory: report(base.softwareInventory, o.softwareInventory),
    fileCollection: report(base.fileCollection, o.fileCollection),
    machineInventory: report(base.machineInventory, o.machineInventory),
  };
}

/** The settings a device gets: built-in defaults, then the server's, then the device's own. */
export function effectiveDeviceSettings(serverDefaults: unknown, deviceOverride: unknown): DeviceSettings {
  return applySettingsOverride(applySettingsOverride(DEFAULT_DEVICE_SETTINGS, serverDefaults), deviceOverride);
}

/**
 * Overdue: no poll for more than twice the device's poll interval. One missed poll is normal
 * (a device out of coverage for a while); two in a row are worth a look. A device that never
 * polled is not overdue: it is "never" (the devices list filters the two apart).
 */
export const OVERDUE_AFTER_INTERVALS = 2;

export function isOverdue(lastPollAt: Date | null, pollIntervalSeconds: number, now: Date): boolean {
  return lastPollAt !== null && now.getTime() - lastPollAt.getTime() > OVERDUE_AFTER_INTERVALS * pollIntervalSeconds * 1000;
}

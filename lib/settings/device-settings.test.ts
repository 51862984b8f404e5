import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICE_SETTINGS, effectiveDeviceSettings } from "./device-settings";

describe("effectiveDeviceSettings", () => {
  it("layers server defaults and a device override over the built-in defaults", () => {
    const s = effectiveDeviceSettings({ pollIntervalSeconds: 7200, machineInventory: { enabled: false } }, { pollIntervalSeconds: 900, failureRetryCount: 2 });
    expect(s.pollIntervalSeconds).toBe(900);
    expect(s.failureRetryCount).toBe(2);
    expect(s.machineInventory).toEqual({ enabled: false, intervalSeconds: 86_400 });
    expect(s.softwareInventory).toEqual(DEFAULT_DEVICE_SETTINGS.softwareInventory);
  });

  it("ignores what is malformed instead of breaking polls", () => {
    const s = effectiveDeviceSettings("nonsense", { pollIntervalSeconds: -5, failureRetryCount: "3", softwareInventory: { fileFilters: [{ filter: 1 }] } });
    expect(s).toEqual(DEFAULT_DEVICE_SETTINGS);
    expect(effectiveDeviceSettings(null, { pollIntervalSeconds: 100 * 86_400 }).pollIntervalSeconds).toBe(3600);
  });
});

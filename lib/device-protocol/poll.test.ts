import { describe, expect, it } from "vitest";
import { DEVICE_ERROR_ANSWERS } from "@/lib/device-endpoint/errors";
import { AppError } from "@/lib/errors";
import { loadSampleBody } from "./fixtures";
import { buildPollResponse, parsePoll, type PollResponse } from "./poll";
import { parseXmlDocument } from "./xml";

describe("parsePoll", () => {
  it("reads Microsoft's example", () => {
    const poll = parsePoll(loadSampleBody("poll-request"));
    expect(poll).toEqual({
      namespace: "https://www.microsoft.com/DeviceManagement.xsd",
      managementSystem: { name: "Systems Management Server Device Management", version: "2.5.0.0" },
      identification: {
        id: "43004500500043000000434550434B5335343934350000000000",
        deviceName: "WindowsCE",
        userName: "KenKwok",
        domain: null,
        platform: "CEPC platform",
        processor: "586",
        codePage: "437",
        systemDefaultLcid: "1033",
        networkAdapters: [{ ipAddress: "172.18.42.254", ipSubnet: "255.255.252.0", mac: "172.18.42.254" }],
      },
      connection: { authorizationToken: "316e47ab-5ca7-4531-a0a7 8b095eafb7df", timestamp: "4/7/2002 10:09:27 PM" },
    });
  });

  it("reads the real CE 4.21 capture: other order, no MAC or Domain, `<NetworkAdapter >`, zeros", () => {
    const poll = parsePoll(loadSampleBody("poll-request-ce421"));
    expect(poll.namespace).toBe("http://www.microsoft.com/DeviceManagement.xsd");
    expect(poll.identification).toEqual({
      id: "26CB0000-1807-1211-1502-736874726968",
      deviceName: "SHTRIH-LightPOS",
      userName: "domain\\rorkkt",
      domain: null,
      platform: "Shtrih-M Embedded",
      processor: "2336",
      codePage: "866",
      systemDefaultLcid: "1049",
      networkAdapters: [{ ipAddress: "192.168.1.2", ipSubnet: "255.255.255.0", mac: null }],
    });
    expect(poll.connection).toEqual({ authorizationToken: "0", timestamp: "0" });
  });

  it("reads names case-insensitively (the element table's `codePage`) and refuses other documents", () => {
    expect(parsePoll("<DevicePoll><Identification><codePage>1252</codePage></Identification></DevicePoll>").identification.codePage).toBe("1252");
    for (const bad of ["<Status/>", "<DevicePoll xmlns='urn:x'/>", "<DevicePoll>"]) {
      try {
        parsePoll(bad);
        throw new Error("accepted");
      } catch (e) {
        expect(DEVICE_ERROR_ANSWERS[(e as AppError).code].status).toBe(400);
      }
    }
  });
});

describe("buildPollResponse", () => {
  const sample: PollResponse = {
    clientSettings: { pollServer: "APollServer", pollIntervalSeconds: 3600, failureRetryCount: 5, failureRetryIntervalSeconds: 3600 },
    softwareInventory: {
      enabled: false,
      intervalSeconds: 300,
      fileFilters: [{ filter: "explorer.exe", path: "\\Windows", recursive: false, excludeCompressed: false, excludeEncrypted: false }],
    },
    fileCollection: {
      enabled: true,
      intervalSeconds: 86_400,
      fileFilters: [{ filter: "explorer.exe", path: "\\windows\\", recursive: false, excludeCompressed: false, excludeEncrypted: false }],
    },
    machineInventory: { enabled: false, intervalSeconds: 420 },
    packageIds: ["9A437CA5-5B17-4486-9E87-260742074A72"],
  };

  it("writes Microsoft's example byte for byte from its values", () => {
    expect(buildPollResponse(sample)).toBe(loadSampleBody("poll-response"));
  });

  it("escapes every value, writes an empty package list open and closed, and parses back", () => {
    const xml = buildPollResponse({ ...sample, clientSettings: { ...sample.clientSettings, pollServer: `a&b<c>"d"` }, packageIds: [] });
    expect(xml).toContain("<PollServer>a&amp;b&lt;c&gt;\"d\"</PollServer>");
    expect(xml).toContain("  <ApplicablePackages>\n  </ApplicablePackages>\n");
    expect(parseXmlDocument(xml).rootName).toBe("PollResponse");
    expect(xml).not.toMatch(/<!\[CDATA|<!--|xmlns|<\?xml|<\w+:/);
  });
});

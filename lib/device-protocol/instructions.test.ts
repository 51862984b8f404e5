import { describe, expect, it } from "vitest";
import { loadSampleBody, SAMPLE_PACKAGE_ID } from "./fixtures";
import { buildInstructions, parseInstructionsRequest, type PackageInstructions } from "./instructions";
import { buildPackageLocation, parseLocationRequest } from "./location";
import { parseXmlDocument } from "./xml";
import { parseDeviceTime } from "./formats";

const SAMPLE: PackageInstructions = {
  packageId: SAMPLE_PACKAGE_ID,
  required: true,
  name: "sample directory download",
  shortDescription: "short of W directory",
  longDescription: "long of W directory",
  flags: 3,
  startTime: { time: parseDeviceTime("2002-08-29 00:00:00")!, utc: false },
  sourceFiles: true,
  recurrence: { intervalSeconds: 86_400, behavior: "DOWNLOAD_AND_EXECUTE" },
  localDestination: "\\temp",
  commandLine: "install.cab",
  packageSize: 9448526,
};

describe("instruction request and response", () => {
  it("reads the sample request (root InstructionsRequest, action InstructionRequest)", () => {
    expect(parseInstructionsRequest(loadSampleBody("instructions-request"))).toEqual({
      namespace: "https://www.microsoft.com/DeviceManagement.xsd",
      packageIds: [SAMPLE_PACKAGE_ID],
    });
    expect(parseInstructionsRequest(`<InstructionsRequest><Package ID="A"/><package id="b"/></InstructionsRequest>`).packageIds).toEqual(["A", "b"]);
    expect(() => parseInstructionsRequest("<InstructionsRequest/>")).toThrow(/names no/);
    expect(() => parseInstructionsRequest("<InstructionRequest/>")).toThrow(/Expected an <InstructionsRequest>/);
  });

  it("writes the sample response byte for byte from its values (with the sample's namespace)", () => {
    expect(buildInstructions([SAMPLE], "https://www.microsoft.com/DeviceManagement.xsd")).toBe(loadSampleBody("instructions"));
  });

  it("leaves Recurrence out for a one-off package, escapes values, and uses the http:// namespace", () => {
    const xml = buildInstructions([{ ...SAMPLE, recurrence: null, name: "R&D <tools>", flags: 6, startTime: { time: new Date("2026-12-01T08:00:00Z"), utc: true } }]);
    expect(xml).not.toContain("Recurrence");
    expect(xml).toContain("<Name>R&amp;D &lt;tools&gt;</Name>");
    expect(xml).toContain("<Flags>06 00 00 00</Flags>");
    expect(xml).toContain('<StartTime UTC="true">2026-12-01 08:00:00</StartTime>');
    expect(parseXmlDocument(xml).namespace).toBe("http://www.microsoft.com/DeviceManagement.xsd");
  });
});

describe("location request and response", () => {
  it("reads the request (schema shape, the sample's package)", () => {
    expect(parseLocationRequest(loadSampleBody("location-request"))).toEqual({
      namespace: "https://www.microsoft.com/DeviceManagement.xsd",
      packageId: SAMPLE_PACKAGE_ID,
      directoryName: "samplebar",
      ipAddresses: [{ address: "172.18.42.254", subnet: "255.255.252.0" }],
    });
    expect(parseLocationRequest(`<PackageLocationRequest><PackageID> P </PackageID></PackageLocationRequest>`)).toMatchObject({ packageId: "P", ipAddresses: [] });
    expect(() => parseLocationRequest("<PackageLocationRequest/>")).toThrow(/no <PackageID>/);
  });

  it("writes the example byte for byte from its values, and only an HTTP location otherwise", () => {
    expect(
      buildPackageLocation(SAMPLE_PACKAGE_ID, [{ metric: 5, smbPath: "\\\\server\\pkg", url: "http://joeuser/testdir/", directoryName: "samplebar", subnets: ["255.255.0.0"] }]),
    ).toBe(loadSampleBody("package-location"));
    const xml = buildPackageLocation("P", [{ metric: 1, url: "http://h/packages/t?a=1&b=2" }]);
    expect(xml).toContain("<URL>http://h/packages/t?a=1&amp;b=2</URL>");
    expect(xml).not.toMatch(/SMB|DirectoryService|IPSubnets/);
  });
});

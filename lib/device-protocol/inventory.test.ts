import { describe, expect, it } from "vitest";
import { loadSampleBody } from "./fixtures";
import { clientVersionOf, parseMachineInventory, parseSoftwareInventory } from "./inventory";

describe("software inventory (FileReport)", () => {
  it("reads Microsoft's example, with its `< Directory` and `SIZE` quirks", () => {
    const inv = parseSoftwareInventory(loadSampleBody("software-inventory"));
    expect(inv.directories).toEqual(["\\myFolder", "\\myFolder\\Microsoft File Viewers"]);
    expect(inv.files.map((f) => [f.path, f.size, f.version])).toEqual([
      ["\\myFolder\\Messenger.lnk", 22, "0.0.0"],
      ["\\myFolder\\Media Player.lnk", 15, "0.0.0"],
      ["\\myFolder\\Internet Explorer.lnk", 24, "0.0.0"],
      ["\\myFolder\\Microsoft File Viewers\\Sample1.exe", 21, "0.0.0"],
    ]);
    expect(inv.files[0]).toMatchObject({ company: null, created: "1999-06-01 12:00:00", attributes: null });
  });

  it("reads the schema, whose comments sit inside start tags", () => {
    const inv = parseSoftwareInventory(loadSampleBody("software-inventory-schema"));
    expect(inv.directories).toEqual(["Fully qualified directory name"]);
    expect(inv.files[0]).toMatchObject({ name: "Name of the file", size: null });
  });

  it("refuses another root", () => {
    expect(() => parseSoftwareInventory("<Inventory/>")).toThrow(/Expected a <FileReport>/);
  });
});

describe("machine inventory", () => {
  it("reads the real CE 4.21 report, repeated items included", () => {
    const inv = parseMachineInventory(loadSampleBody("machine-inventory-ce421"));
    expect(inv.type).toBe("machine");
    expect(inv.items.map((i) => i.name)).toEqual([
      "Device_System",
      "Device_OS",
      "Device_Network",
      "Device_Power",
      "Device_Display",
      "Device_Memory",
      "Device_FileSystem",
      "Device_FileSystem",
      "Device_FileSystem",
    ]);
    expect(inv.items[1]!.properties).toEqual([
      { name: "Platform", value: "3" },
      { name: "MajorVersion", value: "4" },
      { name: "MinorVersion", value: "21" },
      { name: "BuildNumber", value: "2010" },
    ]);
    expect(clientVersionOf(inv)).toBeNull();
  });

  it("reads the schema, which never closes <InventoryItem>", () => {
    const inv = parseMachineInventory(loadSampleBody("machine-inventory-schema"));
    expect(inv.items).toEqual([{ name: "Name of inventory", properties: [{ name: "Name of inventory item", value: '"Value of the inventory item"' }] }]);
  });

  it("finds a client version an OEM provider reports", () => {
    const inv = parseMachineInventory(`<Inventory type="machine"><InventoryItem name="Device_DMClient"><Property name="Version">2.1</Property></InventoryItem></Inventory>`);
    expect(clientVersionOf(inv)).toBe("2.1");
  });
});

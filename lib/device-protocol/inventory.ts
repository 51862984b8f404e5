/**
 * The two inventory reports (X-Device-Action: Report). Pure.
 *
 * - Software inventory (§5.8): `<FileReport>` holding a tree of `<Directory>` and `<File>`.
 *   Microsoft's own example writes `< Directory` and `SIZE="24"`, its schema puts comments
 *   inside start tags: those repairs are tried here (and only here), and attribute names are
 *   read case-insensitively.
 * - Machine inventory (§5.9): `<Inventory type>` of `<InventoryItem name>` groups of
 *   `<Property name>` values; the schema never closes `<InventoryItem>`, which is repaired.
 */
import { AppError } from "@/lib/errors";
import { attribute, childrenOf, parseXmlDocument, repairComments, repairSpaceAfterLt, repairUnclosed, repairUnclosedStartTags, textOf, type XmlElement } from "./xml";

export type InventoryFile = {
  /** Full path: the directory's fully qualified name and the file name. */
  path: string;
  name: string;
  version: string | null;
  company: string | null;
  description: string | null;
  size: number | null;
  created: string | null;
  lastModified: string | null;
  lastAccessed: string | null;
  attributes: string | null;
};

export type SoftwareInventory = { directories: string[]; files: InventoryFile[] };

/** A report listing more than this is not a CE device's inventory. */
export const MAX_INVENTORY_ENTRIES = 20_000;

function nonEmpty(value: string | null): string | null {
  return value === null || value === "" ? null : value;
}

function joinPath(directory: string, name: string): string {
  return directory === "" ? name : directory.endsWith("\\") ? `${directory}${name}` : `${directory}\\${name}`;
}

export function parseSoftwareInventory(xml: string): SoftwareInventory {
  const { rootName, root } = parseXmlDocument(xml, [repairComments, repairSpaceAfterLt, repairUnclosedStartTags]);
  if (rootName !== "FileReport") throw new AppError("WRONG_ROOT", `Expected a <FileReport> document for a SoftwareInventory report, got <${rootName}>.`);
  const directories: string[] = [];
  const files: InventoryFile[] = [];
  const walk = (dir: XmlElement, depth: number) => {
    if (directories.length + files.length > MAX_INVENTORY_ENTRIES) {
      throw new AppError("TOO_MANY_MESSAGES", `A software inventory may list at most ${MAX_INVENTORY_ENTRIES} entries.`);
    }
    const dirName = attribute(dir, "Name") ?? "";
    directories.push(dirName);
    for (const f of childrenOf(dir, "File")) {
      const name = attribute(f, "Name") ?? "";
      const size = attribute(f, "Size");
      files.push({
        path: joinPath(dirName, name),
        name,
        version: nonEmpty(attribute(f, "Version")),
        company: nonEmpty(attribute(f, "Company")),
        description: nonEmpty(attribute(f, "Description")),
        size: size !== null && /^\d+$/.test(size.trim()) ? Number(size.trim()) : null,
        created: nonEmpty(attribute(f, "Created")),
        lastModified: nonEmpty(attribute(f, "LastModified")),
        lastAccessed: nonEmpty(attribute(f, "LastAccessed")),
        attributes: nonEmpty(attribute(f, "Attributes")),
      });
    }
    for (const sub of childrenOf(dir, "Directory")) walk(sub, depth + 1);
  };
  for (const dir of childrenOf(root, "Directory")) walk(dir, 0);
  return { directories, files };
}

export type MachineInventory = { type: string | null; items: { name: string; properties: { name: string; value: string }[] }[] };

export function parseMachineInventory(xml: string): MachineInventory {
  const { rootName, root } = parseXmlDocument(xml, [repairUnclosed("InventoryItem", "Inventory"), repairUnclosedStartTags]);
  if (rootName !== "Inventory") throw new AppError("WRONG_ROOT", `Expected an <Inventory> document for a MachineInventory report, got <${rootName}>.`);
  const items = childrenOf(root, "InventoryItem").map((item) => ({
    name: attribute(item, "name") ?? "",
    properties: childrenOf(item, "Property").map((p) => ({ name: attribute(p, "name") ?? "", value: textOf(p) })),
  }));
  if (items.reduce((n, i) => n + i.properties.length, 0) > MAX_INVENTORY_ENTRIES) {
    throw new AppError("TOO_MANY_MESSAGES", `A machine inventory may hold at most ${MAX_INVENTORY_ENTRIES} properties.`);
  }
  return { type: attribute(root, "type"), items };
}

/**
 * The DME client version in a machine inventory, when the device's inventory provider reports
 * one. The default provider (Dminfos.dll, the CE 4.21 capture) does not; the protocol doc names
 * no property for it, so this reads a `ClientVersion` property, or `Version` in an item named
 * `Device_DMClient` or `DMClient` — what an OEM provider adding it would plausibly write.
 */
export function clientVersionOf(inventory: MachineInventory): string | null {
  for (const item of inventory.items) {
    const byName = (n: string) => item.properties.find((p) => p.name.toLowerCase() === n.toLowerCase())?.value.trim() || null;
    const version = byName("ClientVersion") ?? (/^(device_)?dmclient$/i.test(item.name) ? byName("Version") : null);
    if (version) return version;
  }
  return null;
}

/**
 * The poll (protocol §5.1) and its response (§5.2). Pure.
 *
 * Input is read by local element name in any order (the real CE 4.21 device puts
 * NetworkAdapter before CodePage, omits MAC and Domain, and writes `<NetworkAdapter >`). Output
 * is the shape of Microsoft's example exactly: element names, order and spelling, no namespace,
 * no XML declaration, two-space indentation.
 */
import { AppError } from "@/lib/errors";
import { formatBoolean, formatDuration } from "./formats";
import { checkNamespace, childrenOf, parseXmlDocument, textOf, type XmlElement } from "./xml";
import { attributes, escapeText } from "./xml-build";

export type NetworkAdapter = { ipAddress: string | null; ipSubnet: string | null; mac: string | null };

export type PollIdentification = {
  id: string | null;
  deviceName: string | null;
  userName: string | null;
  domain: string | null;
  platform: string | null;
  processor: string | null;
  codePage: string | null;
  systemDefaultLcid: string | null;
  networkAdapters: NetworkAdapter[];
};

export type DevicePoll = {
  namespace: string | null;
  managementSystem: { name: string | null; version: string | null } | null;
  identification: PollIdentification;
  connection: { authorizationToken: string | null; timestamp: string | null };
};

/** The text of the first child with that local name, or null when absent or empty. */
function childText(element: XmlElement | undefined, name: string): string | null {
  if (!element) return null;
  const child = childrenOf(element, name)[0];
  if (!child) return null;
  const text = textOf(child);
  return text === "" ? null : text;
}

export function parsePoll(xml: string): DevicePoll {
  const { rootName, root, namespace } = parseXmlDocument(xml);
  if (rootName !== "DevicePoll") throw new AppError("WRONG_ROOT", `Expected a <DevicePoll> document for X-Device-Action: Poll, got <${rootName}>.`);
  checkNamespace(namespace, rootName);
  const ms = childrenOf(root, "ManagementSystem")[0];
  const id = childrenOf(root, "Identification")[0];
  const conn = childrenOf(root, "Connection")[0];
  return {
    namespace,
    managementSystem: ms ? { name: childText(ms, "Name"), version: childText(ms, "Version") } : null,
    identification: {
      id: childText(id, "ID"),
      deviceName: childText(id, "DeviceName"),
      userName: childText(id, "UserName"),
      domain: childText(id, "Domain"),
      platform: childText(id, "Platform"),
      processor: childText(id, "Processor"),
      codePage: childText(id, "CodePage"),
      systemDefaultLcid: childText(id, "SystemDefaultLCID"),
      networkAdapters: (id ? childrenOf(id, "NetworkAdapter") : []).map((a) => ({
        ipAddress: childText(a, "IPAddress"),
        ipSubnet: childText(a, "IPSubnet"),
        mac: childText(a, "MAC"),
      })),
    },
    connection: { authorizationToken: childText(conn, "AuthorizationToken"), timestamp: childText(conn, "Timestamp") },
  };
}

// ---------------------------------------------------------------------------------------------

export type FileFilterItem = { filter: string; path: string; recursive: boolean; excludeCompressed: boolean; excludeEncrypted: boolean };

export type ReportSettings = { enabled: boolean; intervalSeconds: number };

export type PollResponse = {
  clientSettings: { pollServer: string; pollIntervalSeconds: number; failureRetryCount: number; failureRetryIntervalSeconds: number };
  softwareInventory: ReportSettings & { fileFilters: FileFilterItem[] };
  fileCollection: ReportSettings & { fileFilters: FileFilterItem[] };
  machineInventory: ReportSettings;
  /** Every package the device should have; a package left out is removed by the device. */
  packageIds: string[];
};

/** The version attribute every settings block carries in the samples. */
const SETTINGS_VERSION = "1.0";

function element(indent: number, name: string, text: string): string {
  return `${" ".repeat(indent)}<${name}>${escapeText(text)}</${name}>\n`;
}

function fileFilters(items: FileFilterItem[]): string {
  return items
    .map(
      (f) =>
        "      <FileFilterItem>\n" +
        element(8, "Filter", f.filter) +
        element(8, "Path", f.path) +
        element(8, "Recursive", formatBoolean(f.recursive)) +
        element(8, "ExcludeCompressed", formatBoolean(f.excludeCompressed)) +
        element(8, "ExcludeEncrypted", formatBoolean(f.excludeEncrypted)) +
        "      </FileFilterItem>\n",
    )
    .join("");
}

export function buildPollResponse(r: PollResponse): string {
  const c = r.clientSettings;
  const v = attributes({ version: SETTINGS_VERSION });
  const report = (name: string, s: ReportSettings, extra = "") =>
    `    <${name}${v}>\n` + element(6, "Enabled", formatBoolean(s.enabled)) + element(6, "Interval", formatDuration(s.intervalSeconds)) + extra + `    </${name}>\n`;
  return (
    "<PollResponse>\n" +
    "  <Settings>\n" +
    `    <ClientSettings${v}>\n` +
    element(6, "PollServer", c.pollServer) +
    element(6, "PollInterval", formatDuration(c.pollIntervalSeconds)) +
    element(6, "FailureRetryCount", String(c.failureRetryCount)) +
    element(6, "FailureRetryInterval", formatDuration(c.failureRetryIntervalSeconds)) +
    "    </ClientSettings>\n" +
    report("SoftwareInventorySettings", r.softwareInventory, fileFilters(r.softwareInventory.fileFilters)) +
    report("FileCollectionSettings", r.fileCollection, fileFilters(r.fileCollection.fileFilters)) +
    report("MachineInventorySettings", r.machineInventory) +
    "  </Settings>\n" +
    "  <ApplicablePackages>\n" +
    r.packageIds.map((id) => `    <Package${attributes({ ID: id })}/>\n`).join("") +
    "  </ApplicablePackages>\n" +
    "</PollResponse>\n"
  );
}

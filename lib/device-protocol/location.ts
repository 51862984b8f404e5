/**
 * The package location request (protocol §5.5, root `PackageLocationRequest` for the action
 * `LocationRequest`) and the PackageLocation response (§5.6). Pure. Output: the example's
 * shape, no namespace, optional parts left out when empty.
 */
import { AppError } from "@/lib/errors";
import { attribute, checkNamespace, childrenOf, parseXmlDocument, textOf } from "./xml";
import { attributes, escapeText } from "./xml-build";

export type LocationRequest = {
  namespace: string | null;
  packageId: string;
  directoryName: string | null;
  ipAddresses: { address: string | null; subnet: string | null }[];
};

export function parseLocationRequest(xml: string): LocationRequest {
  const { rootName, root, namespace } = parseXmlDocument(xml);
  if (rootName !== "PackageLocationRequest") {
    throw new AppError("WRONG_ROOT", `Expected a <PackageLocationRequest> document for X-Device-Action: LocationRequest, got <${rootName}>.`);
  }
  checkNamespace(namespace, rootName);
  const ids = childrenOf(root, "PackageID");
  const packageId = ids[0] ? textOf(ids[0]).trim() : "";
  if (!packageId) throw new AppError("INVALID_MESSAGE", "The PackageLocationRequest has no <PackageID>.");
  if (ids.length > 1) throw new AppError("INVALID_MESSAGE", "The PackageLocationRequest names more than one <PackageID>.");
  const where = childrenOf(root, "ClientLocation")[0];
  const directory = where ? childrenOf(where, "DirectoryService")[0] : undefined;
  const name = directory ? childrenOf(directory, "Name")[0] : undefined;
  const addresses = where ? childrenOf(where, "IPAddresses").flatMap((a) => childrenOf(a, "IPAddress")) : [];
  return {
    namespace,
    packageId,
    directoryName: name ? textOf(name) || null : null,
    ipAddresses: addresses.map((a) => ({ address: attribute(a, "address"), subnet: attribute(a, "subnet") })),
  };
}

export type PackageLocationEntry = {
  metric: number;
  url: string | null;
  smbPath?: string | null;
  directoryName?: string | null;
  subnets?: string[];
};

export function buildPackageLocation(packageId: string, locations: PackageLocationEntry[]): string {
  const body = locations
    .map(
      (l) =>
        `    <Location${attributes({ metric: String(l.metric) })}>\n` +
        (l.smbPath ? `      <SMB>\n        <SMBPath>${escapeText(l.smbPath)}</SMBPath>\n      </SMB>\n` : "") +
        (l.url ? `      <HTTP>\n        <URL>${escapeText(l.url)}</URL>\n      </HTTP>\n` : "") +
        (l.directoryName ? `      <DirectoryService>\n        <Name>${escapeText(l.directoryName)}</Name>\n      </DirectoryService>\n` : "") +
        (l.subnets?.length ? `      <IPSubnets>\n${l.subnets.map((s) => `        <Subnet>${escapeText(s)}</Subnet>\n`).join("")}      </IPSubnets>\n` : "") +
        "    </Location>\n",
    )
    .join("");
  return `<PackageLocation>\n  <PackageID>${escapeText(packageId)}</PackageID>\n  <Locations>\n${body}  </Locations>\n</PackageLocation>\n`;
}

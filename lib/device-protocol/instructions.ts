/**
 * The instruction request (protocol §5.3, root `InstructionsRequest` for the action
 * `InstructionRequest`) and the Instructions response (§5.4). Pure. Output follows the sample's
 * element order and spellings exactly (`true`/`false`, `YES`, `Download and Execute`), since
 * the client's parser is limited.
 */
import { AppError } from "@/lib/errors";
import { formatBoolean, formatDeviceTime, formatDuration, formatFlags, formatSourceFiles } from "./formats";
import { attribute, checkNamespace, childrenOf, parseXmlDocument } from "./xml";
import { attributes, escapeText } from "./xml-build";

/** A device asks for one package per request in the sample; several are tolerated. */
export const MAX_REQUESTED_PACKAGES = 100;

export function parseInstructionsRequest(xml: string): { namespace: string | null; packageIds: string[] } {
  const { rootName, root, namespace } = parseXmlDocument(xml);
  if (rootName !== "InstructionsRequest") {
    throw new AppError("WRONG_ROOT", `Expected an <InstructionsRequest> document for X-Device-Action: InstructionRequest, got <${rootName}>.`);
  }
  checkNamespace(namespace, rootName);
  const packages = childrenOf(root, "Package");
  if (packages.length === 0) throw new AppError("INVALID_MESSAGE", "The InstructionsRequest names no <Package ID=…/>.");
  if (packages.length > MAX_REQUESTED_PACKAGES) throw new AppError("TOO_MANY_MESSAGES", `At most ${MAX_REQUESTED_PACKAGES} packages per request; got ${packages.length}.`);
  const packageIds = packages.map((p, i) => {
    const id = attribute(p, "ID")?.trim();
    if (!id) throw new AppError("INVALID_MESSAGE", `Package ${i + 1} has no ID attribute.`);
    return id;
  });
  return { namespace, packageIds };
}

export type RecurrenceBehavior = "DOWNLOAD_AND_EXECUTE" | "EXECUTE_ONLY";

const BEHAVIOR_TEXT: { [B in RecurrenceBehavior]: string } = {
  DOWNLOAD_AND_EXECUTE: "Download and Execute",
  EXECUTE_ONLY: "Execute Only",
};

export type PackageInstructions = {
  packageId: string;
  required: boolean;
  name: string;
  shortDescription: string;
  longDescription: string;
  /** Network-constraint mask (FLAG_BITS). */
  flags: number;
  startTime: { time: Date; utc: boolean };
  sourceFiles: boolean;
  recurrence: { intervalSeconds: number; behavior: RecurrenceBehavior } | null;
  localDestination: string;
  commandLine: string;
  packageSize: number;
};

/** Real devices send and expect the http:// namespace (the samples' https:// is a rendering artefact). */
export const DM_NAMESPACE = "http://www.microsoft.com/DeviceManagement.xsd";

export function buildInstructions(packages: PackageInstructions[], namespace: string = DM_NAMESPACE): string {
  const el = (name: string, text: string) => `    <${name}>${escapeText(text)}</${name}>\n`;
  const body = packages
    .map(
      (p) =>
        "  <Package>\n" +
        el("ID", p.packageId) +
        el("Required", formatBoolean(p.required)) +
        el("Name", p.name) +
        el("ShortDescription", p.shortDescription) +
        el("LongDescription", p.longDescription) +
        el("Flags", formatFlags(p.flags)) +
        `    <StartTime${attributes({ UTC: formatBoolean(p.startTime.utc) })}>${formatDeviceTime(p.startTime.time)}</StartTime>\n` +
        el("SourceFiles", formatSourceFiles(p.sourceFiles)) +
        (p.recurrence
          ? "    <Recurrence>\n" +
            `      <Interval>${formatDuration(p.recurrence.intervalSeconds)}</Interval>\n` +
            `      <Behavior>${BEHAVIOR_TEXT[p.recurrence.behavior]}</Behavior>\n` +
            "    </Recurrence>\n"
          : "") +
        el("LocalDestination", p.localDestination) +
        el("CommandLine", p.commandLine) +
        el("PackageSize", String(p.packageSize)) +
        "  </Package>\n",
    )
    .join("");
  return `<Instructions${attributes({ xmlns: namespace })}>\n${body}</Instructions>\n`;
}

/**
 * The paths CE devices post to. `/api/dm` is DeployDesk's own; the other two are what a CE
 * client's default server format builds from a host name (`SvrFmt`, protocol §2.1: the
 * documented `…/devicemgmt/server/aspx` and the `…/devicemgmt/server.aspx` it is a typo of),
 * so a device can be pointed at DeployDesk by host name alone. Matched case-insensitively, as
 * the IIS server they come from did.
 */
export const DEVICE_MESSAGE_PATHS = ["/api/dm", "/devicemgmt/server.aspx", "/devicemgmt/server/aspx"] as const;

const LOWER = new Set<string>(DEVICE_MESSAGE_PATHS.map((p) => p.toLowerCase()));

export function isDeviceMessagePath(path: string): boolean {
  return LOWER.has(path.toLowerCase().replace(/\/+$/, "") || "/");
}

/** The registration call's path (`/provision/?deviceid=…`), with or without the slash. */
export function isProvisionPath(path: string): boolean {
  return /^\/provision\/?$/i.test(path);
}

/** Package links: `/packages/<ticket>/<file name>`. */
export function isPackagePath(path: string): boolean {
  return path.startsWith("/packages/");
}

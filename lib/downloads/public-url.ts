/**
 * The base URL devices reach this server at: DEPLOYDESK_PUBLIC_URL when set (behind a proxy, or
 * a name devices resolve), else the scheme and host the request came in on.
 */
export function publicBaseUrl(requestOrigin: string): string {
  return (process.env.DEPLOYDESK_PUBLIC_URL || requestOrigin).replace(/\/+$/, "");
}

/** PollServer: the management server's name as the CE client's SvrFmt expects it (host[:port]). */
export function pollServerName(baseUrl: string): string {
  return new URL(baseUrl).host;
}

/**
 * Request headers the front server (app-server.ts) sets from the connection itself, replacing
 * anything a client sent under these names, so the console can trust them.
 */
/** The peer's address: the audit trail, the sign-in throttle and session records use it. */
export const CLIENT_ADDRESS_HEADER = "x-deploydesk-client-address";
/** The request's path and query: where to come back to after signing in. */
export const REQUEST_PATH_HEADER = "x-deploydesk-path";

/**
 * The origin the browser used for a server action: links handed out by push and bootstrap are
 * built on it (DEPLOYDESK_PUBLIC_URL, when set, wins in publicBaseUrl). Route handlers have
 * the request's URL instead.
 */
import "server-only";
import { headers } from "next/headers";

export async function actionOrigin(): Promise<string> {
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}`;
}

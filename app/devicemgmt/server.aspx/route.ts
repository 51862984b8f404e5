/** The path a CE client's default server format builds (see lib/device-endpoint/paths.ts). */
export { POST, GET, HEAD, PUT, DELETE, PATCH, OPTIONS } from "@/app/api/dm/route";

export const dynamic = "force-dynamic";

/** Package links inside Next (`next dev` alone); `npm start` serves them on the lean path. */
import { nextDeviceRoute } from "@/lib/device-endpoint/next-adapter";
import { servePackage } from "@/lib/downloads/serve-package";

export const dynamic = "force-dynamic";

const route = nextDeviceRoute(servePackage);
export { route as GET, route as HEAD, route as POST, route as PUT, route as DELETE, route as PATCH };

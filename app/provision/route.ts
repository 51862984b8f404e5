/** The registration call inside Next (`next dev` alone); `npm start` serves it on the lean path. */
import { nextDeviceRoute } from "@/lib/device-endpoint/next-adapter";
import { handleProvision } from "@/lib/device-endpoint/provision";

export const dynamic = "force-dynamic";

const route = nextDeviceRoute(handleProvision);
export { route as GET, route as HEAD, route as POST };

/**
 * The device management point in Next: every CE device message is a POST told apart by
 * X-Device-Action (protocol §2.1). The handling itself is lib/device-endpoint, shared with the
 * lean device server; other methods get its 405 rather than Next's.
 */
import { nextDeviceRoute } from "@/lib/device-endpoint/next-adapter";
import { handleDeviceMessage } from "@/lib/device-endpoint/registry";

export const dynamic = "force-dynamic";

const route = nextDeviceRoute(handleDeviceMessage);
export { route as POST, route as GET, route as HEAD, route as PUT, route as DELETE, route as PATCH, route as OPTIONS };

/**
 * GET /api/live?device=<X-Device-UUID> | ?jobs=<id,id,…> | ?log — server-sent events: `event:
 * ready` once the change bus is live (the page refetches once, so nothing between its render
 * and this moment is missed), then `event: change` for every committed change the filter lets
 * through. Opened by components/live/live-updates.tsx; parameters in lib/live/live-url.ts.
 */
import { sessionRoute } from "@/lib/api/route";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { changeBus } from "@/lib/live/change-bus";
import { liveFilterPermission, resolveLiveFilter } from "@/lib/live/live-filters";
import { parseLiveQuery } from "@/lib/live/live-query";
import { changeEventStream, SSE_HEADERS } from "@/lib/live/sse";
import { untilShutdown } from "@/lib/server/shutdown-signal";

export const dynamic = "force-dynamic";

function filterFor(request: Request, actor: Actor) {
  const filter = parseLiveQuery(new URL(request.url).searchParams);
  assertCan(actor, liveFilterPermission(filter));
  return resolveLiveFilter(filter);
}

export const GET = sessionRoute({ device: ["read"] }, async ({ request, actor }) => {
  const filter = await filterFor(request, actor);
  // The stream ends with the request or when the server begins to stop, so an open tab never
  // holds up a shutdown (scripts/serve.ts).
  return changeEventStream(changeBus(), { signal: untilShutdown(request.signal), filter });
});

/** The same checks, headers only: Next would answer HEAD with GET, subscribing a stream nobody reads. */
export const HEAD = sessionRoute({ device: ["read"] }, async ({ request, actor }) => {
  await filterFor(request, actor);
  return new Response(null, { status: 200, headers: SSE_HEADERS });
});

/**
 * What each kind of live filter (live-url.ts) lets through, resolved once when a stream opens:
 * the permission it needs and a predicate over ChangeEvents that runs without a query, so a
 * busy bus costs each open stream an array lookup per change, not a database read.
 *
 * EXTENSION POINT — `batch`: `batch: { permission: { job: ["read"] }, resolve: async (id) => {
 * const jobIds = new Set(await jobIdsOfBatch(id)); return (e) => touchesAnyJob(e, jobIds); } }`,
 * with NOT_FOUND for an unknown batch as `device` does.
 */
import type { Permission } from "@/lib/auth/roles";
import { getDeviceByUuid } from "@/lib/devices/queries";
import { AppError } from "@/lib/errors";
import { touchesAnyJob, touchesDevice, type ChangeEvent } from "./change-event";
import { liveFilterKind, type LiveFilter, type LiveFilterKind, type LiveFilters } from "./live-url";

export type ChangeFilter = (event: ChangeEvent) => boolean;

type Resolver<K extends LiveFilterKind> = { permission: Permission; resolve(value: LiveFilters[K]): Promise<ChangeFilter> };

const RESOLVERS: { [K in LiveFilterKind]: Resolver<K> } = {
  device: {
    permission: { device: ["read"] },
    async resolve(uuid) {
      const device = await getDeviceByUuid(uuid);
      if (!device) throw new AppError("NOT_FOUND", "No device has this X-Device-UUID.");
      return (event) => touchesDevice(event, device.id);
    },
  },
  jobs: {
    permission: { job: ["read"] },
    // Unknown ids are not refused: a job id names nothing secret, and a view listing a batch's
    // jobs may outlive one of them.
    async resolve(ids) {
      const set = new Set(ids);
      return (event) => touchesAnyJob(event, set);
    },
  },
  log: {
    permission: { log: ["read"] },
    async resolve() {
      return () => true;
    },
  },
};

export function liveFilterPermission(filter: LiveFilter): Permission {
  return RESOLVERS[liveFilterKind(filter)].permission;
}

export function resolveLiveFilter(filter: LiveFilter): Promise<ChangeFilter> {
  const kind = liveFilterKind(filter);
  return (RESOLVERS[kind] as Resolver<typeof kind>).resolve(filter[kind] as never);
}

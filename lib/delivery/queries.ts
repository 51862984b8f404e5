/**
 * What the message page and GET /api/v1/messages/{id} read: one message with its device, its job
 * (what decides whether it can be sent again, resend-rules.ts) and its events, oldest first.
 * Plain objects out, dates as ISO strings.
 */
import { db } from "@/lib/db/client";
import type { InstallMethod, JobStatus } from "@/lib/installation-jobs/status-model";
import type { OutboundKind } from "./delivery";
import type { ResendDevice, ResendJob } from "./resend-rules";

export type MessageEventRow = { id: string; at: string; kind: string; attempt: number | null; state: string; detail: string };

export type MessageDetail = {
  id: string;
  kind: OutboundKind;
  recipient: string | null;
  content: Record<string, unknown>;
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  transport: string | null;
  gatewayRef: string | null;
  lastError: string | null;
  createdAt: string;
  acceptedAt: string | null;
  deliveredAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  device: { deviceUuid: string; name: string } & ResendDevice;
  /** Null when the message has no job (a bootstrap sent from the device page) or its job was removed. */
  job: (ResendJob & { softwareName: string; softwareVersion: string }) | null;
  events: MessageEventRow[];
  /** More events than the page reads (a gateway repeating its reports). */
  moreEvents: boolean;
};

/** Events a page reads; a message's retry policy keeps it far below that (8 attempts, their answers and reports). */
export const MAX_EVENTS = 500;

/** A message id as the address gives it: digits, within bigint. Anything else is no message (404). */
export function messageIdOf(raw: string): bigint | null {
  if (!/^[1-9]\d{0,18}$/.test(raw)) return null;
  const id = BigInt(raw);
  return id <= 9_223_372_036_854_775_807n ? id : null;
}

export async function getMessage(rawId: string): Promise<MessageDetail | null> {
  const id = messageIdOf(rawId);
  if (id === null) return null;
  const m = await db().outboundMessage.findUnique({
    where: { id },
    include: {
      device: { select: { deviceUuid: true, name: true, omaDmBootstrapped: true, bootstrapRequestedAt: true } },
      job: { select: { id: true, status: true, method: true, fallbackMethod: true, fallbackPlan: true, cancelledAt: true, software: { select: { name: true, version: true } } } },
      events: { orderBy: { id: "asc" }, take: MAX_EVENTS + 1 },
    },
  });
  if (!m) return null;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const { job, device, events } = m;
  return {
    id: m.id.toString(),
    kind: m.kind,
    recipient: m.recipient,
    content: m.content !== null && typeof m.content === "object" && !Array.isArray(m.content) ? (m.content as Record<string, unknown>) : { value: m.content },
    state: m.state,
    attempts: m.attempts,
    nextAttemptAt: iso(m.nextAttemptAt),
    transport: m.transport,
    gatewayRef: m.gatewayRef,
    lastError: m.lastError,
    createdAt: m.createdAt.toISOString(),
    acceptedAt: iso(m.acceptedAt),
    deliveredAt: iso(m.deliveredAt),
    finishedAt: iso(m.finishedAt),
    updatedAt: m.updatedAt.toISOString(),
    device: { deviceUuid: device.deviceUuid, name: device.name, bootstrapped: device.omaDmBootstrapped, bootstrapUnderWay: device.bootstrapRequestedAt !== null },
    job: job && {
      id: job.id,
      status: job.status as JobStatus,
      method: job.method as InstallMethod,
      fallbackMethod: job.fallbackMethod as InstallMethod | null,
      fallbackPlan: job.fallbackPlan as InstallMethod | null,
      cancelled: job.cancelledAt !== null,
      softwareName: job.software.name,
      softwareVersion: job.software.version,
    },
    events: events.slice(0, MAX_EVENTS).map((e) => ({ id: e.id.toString(), at: e.at.toISOString(), kind: e.kind, attempt: e.attempt, state: e.state, detail: e.detail })),
    moreEvents: events.length > MAX_EVENTS,
  };
}

/** Just a message's state (the page a resend leads to says what became of the one it replaced). */
export async function getMessageState(rawId: string): Promise<string | null> {
  const id = messageIdOf(rawId);
  if (id === null) return null;
  return (await db().outboundMessage.findUnique({ where: { id }, select: { state: true } }))?.state ?? null;
}

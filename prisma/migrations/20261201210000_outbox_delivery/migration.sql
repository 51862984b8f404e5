-- The outbox (schema.prisma, OutboundMessage): messages are now sent by the queue's worker, and
-- every attempt, answer and delivery report is kept on the message.
ALTER TABLE "devices" ADD COLUMN "bootstrap_requested_at" TIMESTAMPTZ(3);

ALTER TABLE "outbound_messages" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "next_attempt_at" TIMESTAMPTZ(3),
ADD COLUMN "transport" TEXT,
ADD COLUMN "gateway_ref" TEXT,
ADD COLUMN "last_error" TEXT,
ADD COLUMN "accepted_at" TIMESTAMPTZ(3),
ADD COLUMN "delivered_at" TIMESTAMPTZ(3),
ADD COLUMN "finished_at" TIMESTAMPTZ(3),
ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "state" SET DEFAULT 'queued';

-- Messages recorded before delivery existed were never queued: they stay unsent, and say so.
-- The ones that had no recipient failed for that reason.
UPDATE "outbound_messages" SET "state" = 'not sent', "finished_at" = "created_at", "updated_at" = "created_at" WHERE "state" = 'recorded';
UPDATE "outbound_messages" SET "state" = 'failed', "last_error" = 'The device has no phone number.', "finished_at" = "created_at", "updated_at" = "created_at" WHERE "state" = 'no recipient';

CREATE TABLE "outbound_message_events" (
    "id" BIGSERIAL NOT NULL,
    "message_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "attempt" INTEGER,
    "state" TEXT NOT NULL,
    "detail" TEXT NOT NULL,

    CONSTRAINT "outbound_message_events_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "outbound_messages_state_id_idx" ON "outbound_messages"("state", "id" DESC);
CREATE INDEX "outbound_message_events_message_id_id_idx" ON "outbound_message_events"("message_id", "id");

ALTER TABLE "outbound_message_events" ADD CONSTRAINT "outbound_message_events_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "outbound_messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

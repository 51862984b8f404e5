-- Housekeeping (lib/housekeeping): each sweep reads a small partial index, never the whole table.
ALTER TABLE "outbound_messages" ADD COLUMN "link_expires_at" TIMESTAMPTZ(3),
ADD COLUMN "lapse_logged_at" TIMESTAMPTZ(3);

UPDATE "outbound_messages" SET "link_expires_at" = ("content"->>'expiresAt')::timestamptz
 WHERE "kind" IN ('SMS_PUSH', 'WAP_PUSH') AND "content" ? 'expiresAt';
-- Links that lapsed before housekeeping existed are not news any more.
UPDATE "outbound_messages" SET "lapse_logged_at" = "link_expires_at" WHERE "link_expires_at" < now();

-- Links to watch: sent, not yet logged as lapsed.
CREATE INDEX "outbound_messages_link_lapse_idx" ON "outbound_messages"("link_expires_at") WHERE "lapse_logged_at" IS NULL AND "link_expires_at" IS NOT NULL;
-- Bootstraps under way, for their timeout.
CREATE INDEX "devices_bootstrap_requested_at_idx" ON "devices"("bootstrap_requested_at") WHERE "bootstrap_requested_at" IS NOT NULL;
-- Unfinished jobs by their last change, for the stuck-job sweep (finished jobs, the bulk, are not in it).
CREATE INDEX "installation_jobs_unfinished_updated_at_idx" ON "installation_jobs"("updated_at", "id")
 WHERE "cancelled_at" IS NULL AND "status" IN ('WAITING_FOR_BOOTSTRAP', 'WAITING_FOR_DOWNLOAD', 'INSTALLING_SOFTWARE');

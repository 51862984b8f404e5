-- CreateIndex
CREATE INDEX "devices_last_poll_at_idx" ON "devices"("last_poll_at");

-- Partial indexes (not expressible in schema.prisma; Prisma leaves them alone). They let a rare
-- filter be found through an index instead of by walking the sort order (lib/devices/list-devices.ts):
-- the overdue filter's second arm (devices with their own poll interval: few), and the job
-- states an administrator looks for (only the devices in that state have an entry).
CREATE INDEX "devices_poll_override_idx" ON "devices" ("last_poll_at") WHERE "settings" IS NOT NULL;
CREATE INDEX "devices_installing_idx" ON "devices" ("id") WHERE "installing_count" > 0;
CREATE INDEX "devices_attention_idx" ON "devices" ("id") WHERE "attention_count" > 0;

-- DropIndex
DROP INDEX "installation_log_device_id_received_at_idx";

-- CreateIndex
CREATE INDEX "installation_log_device_id_id_idx" ON "installation_log"("device_id", "id" DESC);

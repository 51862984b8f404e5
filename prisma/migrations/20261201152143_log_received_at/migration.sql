-- CreateIndex
CREATE INDEX "installation_log_received_at_id_idx" ON "installation_log"("received_at", "id");

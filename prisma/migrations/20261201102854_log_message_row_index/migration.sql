-- CreateIndex
CREATE INDEX "installation_log_message_row_id_idx" ON "installation_log"("message_row_id");

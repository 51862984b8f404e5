-- CreateIndex
CREATE INDEX "installation_jobs_created_at_id_idx" ON "installation_jobs"("created_at", "id");

-- CreateIndex
CREATE INDEX "installation_jobs_updated_at_id_idx" ON "installation_jobs"("updated_at", "id");

-- CreateIndex
CREATE INDEX "installation_jobs_software_id_created_at_id_idx" ON "installation_jobs"("software_id", "created_at", "id");

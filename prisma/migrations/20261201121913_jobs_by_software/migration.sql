-- CreateIndex
CREATE INDEX "installation_jobs_software_id_status_idx" ON "installation_jobs"("software_id", "status");

-- The log row's library entry (schema.prisma, InstallationLogEntry.softwareId): the software
-- filter and the rows' software names read it instead of rebuilding the entry's job ids.
ALTER TABLE "installation_log" ADD COLUMN     "software_id" INTEGER;

-- Backfill, before the index exists (no index entries to write per row). One statement per
-- kind of row: at 10M rows it is a single pass over the log either way.
-- Rows with a job: the job's software.
UPDATE "installation_log" l SET "software_id" = j."software_id"
  FROM "installation_jobs" j
 WHERE j."id" = l."job_id";

-- Refused requests named their package only in their data; the writer now also stores it as
-- the row's package, as it does for every other row about a package.
UPDATE "installation_log" SET "package_id" = "data"->>'packageId'
 WHERE "job_id" IS NULL AND "code" = 'PACKAGE_REFUSED' AND "package_id" IS NULL;

-- Rows without a job (removed jobs' reports and removal rows, reports about no job, refused
-- requests): the entry their package names, as the writer looks it up. A removed job's
-- creation row has no package: it cannot be matched any more.
UPDATE "installation_log" l SET "software_id" = s."id"
  FROM "software" s
 WHERE l."job_id" IS NULL AND s."package_id" = upper(btrim(l."package_id"));

-- CreateIndex
CREATE INDEX "installation_log_software_id_id_idx" ON "installation_log"("software_id", "id" DESC);

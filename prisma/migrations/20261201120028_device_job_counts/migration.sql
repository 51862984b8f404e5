-- AlterTable
ALTER TABLE "devices" ADD COLUMN     "attention_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "installed_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "installing_count" INTEGER NOT NULL DEFAULT 0;

-- Existing jobs, counted once as lib/installation-jobs/status-model.ts `jobCountBucket` does
-- (from here on the job writer keeps the counters): cancelled jobs count nowhere; ranks 1-3
-- are installing, errors need attention, ranks 4-5 are installed.
UPDATE "devices" d
   SET "installing_count" = c.installing, "installed_count" = c.installed, "attention_count" = c.attention
  FROM (
    SELECT device_id,
           count(*) FILTER (WHERE status IN ('WAITING_FOR_BOOTSTRAP', 'WAITING_FOR_DOWNLOAD', 'INSTALLING_SOFTWARE',
                                             'INSTALLED_WAITING_FOR_VERIFICATION', 'DOWNLOADED_WAITING_FOR_VERIFICATION'))::int AS installing,
           count(*) FILTER (WHERE status IN ('INSTALLED', 'DOWNLOADED', 'INSTALLED_VERIFIED', 'DOWNLOADED_VERIFIED'))::int AS installed,
           count(*) FILTER (WHERE status IN ('INSTALLATION_FAILED', 'UNKNOWN_STATUS'))::int AS attention
      FROM "installation_jobs"
     WHERE cancelled_at IS NULL
     GROUP BY device_id
  ) c
 WHERE d.id = c.device_id;

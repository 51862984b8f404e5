-- Throttled rollouts (lib/installation-jobs/rollout.ts): an install batch released gradually keeps
-- its plan and progress on its row and its chosen devices in install_batch_targets. Batches
-- released all at once leave every new column null (or 0) and have no targets.
ALTER TABLE "install_batches" ADD COLUMN     "failed_at_resume" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failure_threshold_percent" SMALLINT,
ADD COLUMN     "finished_at_resume" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "last_slot_at" TIMESTAMPTZ(3),
ADD COLUMN     "link_origin" TEXT,
ADD COLUMN     "min_finished" INTEGER,
ADD COLUMN     "next_release_at" TIMESTAMPTZ(3),
ADD COLUMN     "pause_reason" TEXT,
ADD COLUMN     "paused_at" TIMESTAMPTZ(3),
ADD COLUMN     "paused_by" TEXT,
ADD COLUMN     "per_hour" INTEGER,
ADD COLUMN     "released_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "target_count" INTEGER,
ADD COLUMN     "window_end_minute" SMALLINT,
ADD COLUMN     "window_start_minute" SMALLINT;

CREATE TABLE "install_batch_targets" (
    "batch_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "device_id" INTEGER,
    "device_uuid" TEXT NOT NULL,
    "released_at" TIMESTAMPTZ(3),
    "job_id" INTEGER,
    "skipped_reason" TEXT,

    CONSTRAINT "install_batch_targets_pkey" PRIMARY KEY ("batch_id","position")
);

-- For the foreign keys below: removing a device or a job finds its targets by index, not by a scan.
CREATE INDEX "install_batch_targets_device_id_idx" ON "install_batch_targets"("device_id");
CREATE INDEX "install_batch_targets_job_id_idx" ON "install_batch_targets"("job_id");
CREATE UNIQUE INDEX "install_batch_targets_batch_id_device_uuid_key" ON "install_batch_targets"("batch_id", "device_uuid");

-- A removed device leaves its target (skipped, "the device was removed", when its turn comes),
-- so the batch still counts every device it was given.
ALTER TABLE "install_batch_targets" ADD CONSTRAINT "install_batch_targets_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "install_batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "install_batch_targets" ADD CONSTRAINT "install_batch_targets_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "install_batch_targets" ADD CONSTRAINT "install_batch_targets_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "installation_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The release sweep reads the batches still releasing (a handful), never the whole table.
CREATE INDEX "install_batches_next_release_idx" ON "install_batches"("next_release_at") WHERE "next_release_at" IS NOT NULL;
-- The next targets of a batch, in order, without walking past the released ones.
CREATE INDEX "install_batch_targets_unreleased_idx" ON "install_batch_targets"("batch_id", "position") WHERE "released_at" IS NULL;

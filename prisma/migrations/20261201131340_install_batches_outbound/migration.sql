-- CreateEnum
CREATE TYPE "outbound_kind" AS ENUM ('SMS_PUSH', 'WAP_PUSH', 'BOOTSTRAP');

-- AlterTable
ALTER TABLE "installation_jobs" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "batch_id" INTEGER,
ADD COLUMN     "handed_over_at" TIMESTAMPTZ(3),
ADD COLUMN     "retried_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "install_batches" (
    "id" SERIAL NOT NULL,
    "software_id" INTEGER NOT NULL,
    "method" "install_method" NOT NULL,
    "fallback_method" "install_method",
    "job_count" INTEGER NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "install_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_messages" (
    "id" BIGSERIAL NOT NULL,
    "job_id" INTEGER,
    "device_id" INTEGER NOT NULL,
    "kind" "outbound_kind" NOT NULL,
    "recipient" TEXT,
    "content" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'recorded',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbound_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "install_batches_created_at_idx" ON "install_batches"("created_at" DESC);

-- CreateIndex
CREATE INDEX "outbound_messages_job_id_idx" ON "outbound_messages"("job_id");

-- CreateIndex
CREATE INDEX "outbound_messages_device_id_id_idx" ON "outbound_messages"("device_id", "id" DESC);

-- CreateIndex
CREATE INDEX "installation_jobs_batch_id_status_idx" ON "installation_jobs"("batch_id", "status");

-- AddForeignKey
ALTER TABLE "installation_jobs" ADD CONSTRAINT "installation_jobs_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "install_batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "install_batches" ADD CONSTRAINT "install_batches_software_id_fkey" FOREIGN KEY ("software_id") REFERENCES "software"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "installation_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

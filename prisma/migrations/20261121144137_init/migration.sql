-- CreateEnum
CREATE TYPE "install_method" AS ENUM ('OMA_DM', 'WAP_PUSH', 'SMS_PUSH', 'MARK_FOR_INSTALLATION');

-- CreateEnum
CREATE TYPE "software_kind" AS ENUM ('DME_CLIENT', 'OTHER_SOFTWARE');

-- CreateEnum
CREATE TYPE "job_status" AS ENUM ('WAITING_FOR_BOOTSTRAP', 'WAITING_FOR_DOWNLOAD', 'INSTALLING_SOFTWARE', 'INSTALLED_WAITING_FOR_VERIFICATION', 'DOWNLOADED_WAITING_FOR_VERIFICATION', 'INSTALLED', 'DOWNLOADED', 'INSTALLED_VERIFIED', 'DOWNLOADED_VERIFIED', 'INSTALLATION_FAILED', 'UNKNOWN_STATUS');

-- CreateEnum
CREATE TYPE "recurrence_behavior" AS ENUM ('DOWNLOAD_AND_EXECUTE', 'EXECUTE_ONLY');

-- CreateTable
CREATE TABLE "devices" (
    "id" SERIAL NOT NULL,
    "device_uuid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "platform" TEXT,
    "phone_number" TEXT,
    "oma_dm_bootstrapped" BOOLEAN NOT NULL DEFAULT false,
    "client_version" TEXT,
    "last_contact_at" TIMESTAMPTZ(3),
    "poll_cursor" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "device_credentials" (
    "id" SERIAL NOT NULL,
    "device_id" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "device_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "software" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "kind" "software_kind" NOT NULL,
    "platform" TEXT,
    "package_id" TEXT NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT true,
    "short_description" TEXT NOT NULL DEFAULT '',
    "long_description" TEXT NOT NULL DEFAULT '',
    "flags" TEXT NOT NULL DEFAULT '03 00 00 00',
    "start_time" TEXT,
    "start_time_utc" BOOLEAN NOT NULL DEFAULT false,
    "source_files" BOOLEAN NOT NULL DEFAULT true,
    "recurrence_interval" TEXT,
    "recurrence_behavior" "recurrence_behavior",
    "local_destination" TEXT NOT NULL DEFAULT '\temp',
    "command_line" TEXT NOT NULL DEFAULT '',
    "file_name" TEXT,
    "file_size" BIGINT,
    "file_sha256" TEXT,
    "storage_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "software_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "installation_jobs" (
    "id" SERIAL NOT NULL,
    "device_id" INTEGER NOT NULL,
    "software_id" INTEGER NOT NULL,
    "method" "install_method" NOT NULL,
    "status" "job_status" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "status_device_time" TIMESTAMP(0),
    "last_message_id" TEXT,
    "last_return_code" TEXT,
    "executed_at" TIMESTAMPTZ(3),
    "fallback_at" TIMESTAMPTZ(3),
    "fallback_method" "install_method",
    "fallback_reason" TEXT,

    CONSTRAINT "installation_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "device_messages" (
    "id" BIGSERIAL NOT NULL,
    "device_id" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "headers" JSONB NOT NULL,
    "body" TEXT NOT NULL,
    "body_sha256" TEXT NOT NULL,

    CONSTRAINT "device_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "installation_log" (
    "id" BIGSERIAL NOT NULL,
    "job_id" INTEGER,
    "device_id" INTEGER NOT NULL,
    "message_row_id" BIGINT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "device_timestamp" TEXT,
    "device_time" TIMESTAMP(0),
    "package_id" TEXT,
    "message_id" TEXT,
    "event" TEXT NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '[]',
    "status_before" "job_status",
    "status_after" "job_status",
    "dedup_key" TEXT,

    CONSTRAINT "installation_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "devices_device_uuid_key" ON "devices"("device_uuid");

-- CreateIndex
CREATE INDEX "devices_name_idx" ON "devices"("name");

-- CreateIndex
CREATE UNIQUE INDEX "device_credentials_device_id_token_hash_key" ON "device_credentials"("device_id", "token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "software_package_id_key" ON "software"("package_id");

-- CreateIndex
CREATE UNIQUE INDEX "software_name_version_platform_key" ON "software"("name", "version", "platform");

-- CreateIndex
CREATE INDEX "installation_jobs_device_id_software_id_idx" ON "installation_jobs"("device_id", "software_id");

-- CreateIndex
CREATE INDEX "installation_jobs_status_idx" ON "installation_jobs"("status");

-- CreateIndex
CREATE UNIQUE INDEX "device_messages_device_id_body_sha256_key" ON "device_messages"("device_id", "body_sha256");

-- CreateIndex
CREATE UNIQUE INDEX "installation_log_dedup_key_key" ON "installation_log"("dedup_key");

-- CreateIndex
CREATE INDEX "installation_log_device_id_received_at_idx" ON "installation_log"("device_id", "received_at" DESC);

-- CreateIndex
CREATE INDEX "installation_log_job_id_idx" ON "installation_log"("job_id");

-- AddForeignKey
ALTER TABLE "device_credentials" ADD CONSTRAINT "device_credentials_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installation_jobs" ADD CONSTRAINT "installation_jobs_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installation_jobs" ADD CONSTRAINT "installation_jobs_software_id_fkey" FOREIGN KEY ("software_id") REFERENCES "software"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "device_messages" ADD CONSTRAINT "device_messages_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installation_log" ADD CONSTRAINT "installation_log_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "installation_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installation_log" ADD CONSTRAINT "installation_log_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installation_log" ADD CONSTRAINT "installation_log_message_row_id_fkey" FOREIGN KEY ("message_row_id") REFERENCES "device_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

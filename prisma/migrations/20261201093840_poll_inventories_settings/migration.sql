-- The poll's identification and settings on the device, the package list the job writer keeps
-- for polls, typed instruction fields on software (the existing wire strings converted, not
-- dropped), inventories, collected files and server settings.
-- CreateEnum
CREATE TYPE "inventory_kind" AS ENUM ('SOFTWARE', 'MACHINE');

-- AlterTable
ALTER TABLE "devices" ADD COLUMN     "applicable_packages" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "identification" JSONB,
ADD COLUMN     "last_poll_at" TIMESTAMPTZ(3),
ADD COLUMN     "settings" JSONB;

-- AlterTable
ALTER TABLE "software" ADD COLUMN     "recurrence_interval_seconds" INTEGER,
ADD COLUMN     "withdrawn_at" TIMESTAMPTZ(3);

-- "0000-00-DD hh:mm:ss" → seconds.
UPDATE "software" SET "recurrence_interval_seconds" =
  split_part(split_part("recurrence_interval", ' ', 1), '-', 3)::int * 86400
  + extract(epoch FROM split_part("recurrence_interval", ' ', 2)::interval)::int
 WHERE "recurrence_interval" ~ '^0000-00-[0-9]{2} [0-9]{1,2}:[0-9]{2}:[0-9]{2}$';

-- "03 00 00 00" (little-endian bytes) → 3.
ALTER TABLE "software" ALTER COLUMN "flags" DROP DEFAULT,
ALTER COLUMN "flags" TYPE INTEGER USING (
  CASE WHEN "flags" ~ '^[0-9A-Fa-f]{2}( [0-9A-Fa-f]{2}){3}$' THEN
    ('x' || split_part("flags", ' ', 1))::bit(8)::int
    + ('x' || split_part("flags", ' ', 2))::bit(8)::int * 256
    + ('x' || split_part("flags", ' ', 3))::bit(8)::int * 65536
    + (('x' || split_part("flags", ' ', 4))::bit(8)::int & 127) * 16777216
  ELSE 3 END),
ALTER COLUMN "flags" SET DEFAULT 3,
ALTER COLUMN "start_time" TYPE TIMESTAMP(0) USING (
  CASE WHEN "start_time" ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' THEN "start_time"::timestamp ELSE NULL END),
DROP COLUMN "recurrence_interval";

-- CreateTable
CREATE TABLE "device_inventories" (
    "id" BIGSERIAL NOT NULL,
    "device_id" INTEGER NOT NULL,
    "kind" "inventory_kind" NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_row_id" BIGINT,
    "data" JSONB NOT NULL,

    CONSTRAINT "device_inventories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "collected_files" (
    "id" BIGSERIAL NOT NULL,
    "device_id" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "storage_key" TEXT NOT NULL,

    CONSTRAINT "collected_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "server_settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "server_settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "device_inventories_device_id_kind_id_idx" ON "device_inventories"("device_id", "kind", "id" DESC);

-- CreateIndex
CREATE INDEX "collected_files_device_id_id_idx" ON "collected_files"("device_id", "id" DESC);

-- AddForeignKey
ALTER TABLE "device_inventories" ADD CONSTRAINT "device_inventories_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "collected_files" ADD CONSTRAINT "collected_files_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

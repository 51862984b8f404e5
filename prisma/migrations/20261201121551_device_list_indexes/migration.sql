-- The search's trigram indexes below need pg_trgm (a trusted extension: the database owner can
-- create it; the embedded PGlite loads it in lib/db/pglite-extensions.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- (name) becomes (name, id): the keyset's tie-breaker is part of the index order.
-- DropIndex
DROP INDEX "devices_name_idx";

-- CreateIndex
CREATE INDEX "devices_name_id_idx" ON "devices"("name", "id");

-- CreateIndex
CREATE INDEX "devices_last_contact_at_id_idx" ON "devices"("last_contact_at", "id");

-- CreateIndex
CREATE INDEX "devices_platform_id_idx" ON "devices"("platform", "id");

-- CreateIndex
CREATE INDEX "devices_client_version_id_idx" ON "devices"("client_version", "id");

-- CreateIndex
CREATE INDEX "devices_name_trgm_idx" ON "devices" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "devices_device_uuid_trgm_idx" ON "devices" USING GIN ("device_uuid" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "devices_phone_number_trgm_idx" ON "devices" USING GIN ("phone_number" gin_trgm_ops);

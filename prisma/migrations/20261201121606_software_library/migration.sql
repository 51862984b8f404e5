-- AlterTable
ALTER TABLE "software" ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "default_build" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "test_build" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "software_file_sha256_idx" ON "software"("file_sha256");

-- Hand-written (Prisma's schema cannot express it, and its diffs leave check constraints
-- alone): package IDs are always upper case; devices send them in any case and the server
-- compares upper case.
ALTER TABLE "software" ADD CONSTRAINT "software_package_id_upper_case" CHECK ("package_id" = upper("package_id"));

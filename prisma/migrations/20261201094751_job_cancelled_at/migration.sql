-- AlterTable
ALTER TABLE "installation_jobs" ADD COLUMN     "cancelled_at" TIMESTAMPTZ(3);

/*
  Warnings:

  - You are about to drop the column `status_device_time` on the `installation_jobs` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "installation_jobs" DROP COLUMN "status_device_time",
ADD COLUMN     "report_key" TEXT;

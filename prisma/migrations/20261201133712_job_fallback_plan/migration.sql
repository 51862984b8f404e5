-- AlterTable
ALTER TABLE "installation_jobs" ADD COLUMN     "fallback_plan" "install_method";

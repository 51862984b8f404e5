-- Reports apply as if sorted by an ordering key (lib/installation-jobs/status-model.ts,
-- reportOrderKey) instead of comparing device times. Existing jobs keep the order they had: the
-- key of the device time that set their status, with the tie rank of their last messageID.
ALTER TABLE "installation_jobs" ADD COLUMN     "report_key" TEXT;

UPDATE "installation_jobs"
   SET "report_key" = '1' || to_char("status_device_time", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       || CASE "last_message_id" WHEN '11030' THEN '1' WHEN '11032' THEN '3' WHEN '11031' THEN '4' WHEN '11035' THEN '5' ELSE '2' END
       || 'migrated'
 WHERE "status_device_time" IS NOT NULL;

ALTER TABLE "installation_jobs" DROP COLUMN "status_device_time";

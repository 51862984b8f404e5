-- Log entries store what happened as a code plus data; the text is derived for display
-- (lib/installation-log/entries.ts). Rows written before keep their text under code TEXT.
ALTER TABLE "installation_log"
ADD COLUMN     "code" TEXT,
ADD COLUMN     "data" JSONB NOT NULL DEFAULT '{}';

UPDATE "installation_log" SET "code" = 'TEXT', "data" = jsonb_build_object('text', "event");

ALTER TABLE "installation_log" ALTER COLUMN "code" SET NOT NULL,
DROP COLUMN "event";

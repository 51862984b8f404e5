-- Device enrollment and token rotation: a server-issued token is pending until first used;
-- the tokens that exist already were set by an administrator and count as confirmed.
-- AlterTable
ALTER TABLE "device_credentials" ADD COLUMN     "confirmed_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "devices" ADD COLUMN     "enrolled_at" TIMESTAMPTZ(3);

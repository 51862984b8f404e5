-- The job-state partial indexes keyed by last_poll_at instead of id, so "needs attention" (or
-- "installing") together with "overdue" is one range of a small index: at 1M devices the
-- combination read 275,000 attention devices to keep 5,000 (about 180 ms), and reads 17,000 now
-- (about 20 ms). Read whole, each is still the set of devices in that state, as before ("needs
-- attention" alone). The id makes the key unique, so the index's entries stay in heap order
-- within one time. A poll already rewrites every index entry of its device (last_poll_at is
-- indexed, so the update is never HOT), so the new key costs a poll nothing more. Built in the
-- migration's transaction: at 1M devices about 0.4 s during which polls wait.
DROP INDEX IF EXISTS "devices_installing_idx";
DROP INDEX IF EXISTS "devices_attention_idx";
CREATE INDEX "devices_installing_idx" ON "devices" ("last_poll_at", "id") WHERE "installing_count" > 0;
CREATE INDEX "devices_attention_idx" ON "devices" ("last_poll_at", "id") WHERE "attention_count" > 0;

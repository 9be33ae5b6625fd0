-- Hand-written rollback of drizzle/0014_live_until.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0014 from drizzle's journal in one transaction.
-- Only the column goes: the Worker before it calls the user's Durable Object after every write.
SET LOCAL lock_timeout = '5s';
ALTER TABLE "user_change_counters" DROP COLUMN IF EXISTS "live_until";

-- Hand-written rollback of drizzle/0007_email_tokens.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0007 from drizzle's journal in one transaction.
-- Outstanding reset and verification links stop working, and which addresses were verified is lost
-- (the previous Worker knows neither); users, sessions and tasks are kept.
SET LOCAL lock_timeout = '5s';
DROP TABLE IF EXISTS "email_tokens";
ALTER TABLE "users" DROP COLUMN IF EXISTS "email_verified_at";

-- Hand-written rollback of drizzle/0001_accounts.sql (drizzle-kit has no down migrations).
-- Run it with `npm run db:rollback`, which also removes 0001 from drizzle's journal in the same
-- transaction. Every task row is kept; task ownership (user_id) and all accounts are dropped.
SET LOCAL lock_timeout = '5s';
ALTER TABLE "tasks" DROP CONSTRAINT IF EXISTS "fk_tasks_user_id";
DROP INDEX IF EXISTS "ix_tasks_user_created";
DROP INDEX IF EXISTS "ix_tasks_user_id";
ALTER TABLE "tasks" DROP COLUMN IF EXISTS "user_id";
ALTER TABLE "tasks" ALTER COLUMN "created_at" DROP DEFAULT;
ALTER TABLE "tasks" ALTER COLUMN "updated_at" DROP DEFAULT;
DROP TABLE IF EXISTS "users";

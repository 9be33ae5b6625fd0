-- Hand-written rollback of drizzle/0004_task_versions.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0004 from drizzle's journal in one transaction.
-- Task versions are dropped (every other column of every row is kept); after a re-upgrade every task
-- starts again at version 1, so an ETag issued before the rollback may match a different version.
SET LOCAL lock_timeout = '5s';
ALTER TABLE "tasks" DROP COLUMN IF EXISTS "version";

-- Hand-written rollback of drizzle/0012_change_sequence.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0012 from drizzle's journal in one transaction.
-- Tasks are untouched; the change sequence goes (every number and tombstone), so clients that synced
-- through GET /api/tasks/changes must resync from 0 if it comes back.
SET LOCAL lock_timeout = '5s';
DROP TABLE IF EXISTS "task_changes";
DROP TABLE IF EXISTS "user_change_counters";

-- Hand-written rollback of drizzle/0003_sessions.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0003 from drizzle's journal in one transaction.
-- Every session ends: users sign in again with their passwords after the previous Worker is deployed.
SET LOCAL lock_timeout = '5s';
DROP TABLE IF EXISTS "sessions";

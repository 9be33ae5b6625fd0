-- Hand-written rollback of drizzle/0002_idempotency_keys.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0002 from drizzle's journal in one transaction.
-- Stored Idempotency-Key records are dropped; retries after the rollback are no longer deduplicated.
SET LOCAL lock_timeout = '5s';
DROP TABLE IF EXISTS "idempotency_keys";

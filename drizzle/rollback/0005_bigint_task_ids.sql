-- Hand-written rollback of drizzle/0005_bigint_task_ids.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0005 from drizzle's journal in one transaction.
-- Every row is kept. Fails (and changes nothing) if an id over 2^31 - 1 exists: it does not fit an integer.
-- Like 0005 itself, this rewrites tasks and idempotency_keys under an exclusive lock.
SET LOCAL lock_timeout = '5s';
ALTER TABLE "idempotency_keys" ALTER COLUMN "task_id" SET DATA TYPE integer;
ALTER TABLE "tasks" ALTER COLUMN "id" SET DATA TYPE integer;
ALTER TABLE "tasks" ALTER COLUMN "id" SET DEFAULT nextval('tasks_id_seq'::regclass);

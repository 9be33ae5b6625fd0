-- Hand-written rollback of drizzle/0006_task_id_sequence_bigint.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0006 from drizzle's journal in one transaction.
-- Fails (and changes nothing) once the sequence has gone past 2^31 - 1: such ids do not fit an integer.
SET LOCAL lock_timeout = '5s';
ALTER SEQUENCE "tasks_id_seq" AS integer MAXVALUE 2147483647;

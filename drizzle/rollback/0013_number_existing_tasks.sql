-- Hand-written rollback of drizzle/0013_number_existing_tasks.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0013 from drizzle's journal in one transaction.
-- Nothing to undo: the numbers it gave cannot be told from those of later writes, and dropping them is
-- the rollback of 0012. Migrating forward again numbers only tasks that have no number yet.
SELECT 1;

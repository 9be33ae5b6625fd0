-- Hand-written rollback of drizzle/0010_users_email_with_password.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0010 from drizzle's journal in one transaction.
-- Only the constraint goes; every row stays as it is.
SET LOCAL lock_timeout = '5s';
ALTER TABLE "users" DROP CONSTRAINT IF EXISTS "ck_users_email_with_password";

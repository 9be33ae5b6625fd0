-- Hand-written rollback of drizzle/0011_credential_version.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0011 from drizzle's journal in one transaction.
-- Both columns go; every row stays. The previous Worker does not compare credential versions, so a
-- session opened by a signin that raced a password change (the only kind this check ends on its own)
-- is live again under it, as it was before 0011; every other ended session stays revoked.
SET LOCAL lock_timeout = '5s';
ALTER TABLE "sessions" DROP COLUMN IF EXISTS "credential_version";
ALTER TABLE "users" DROP COLUMN IF EXISTS "credential_version";

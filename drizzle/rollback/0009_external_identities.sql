-- Hand-written rollback of drizzle/0009_external_identities.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0009 from drizzle's journal in one transaction.
-- Users who signed in through a trusted external issuer have no email and no password, so the NOT NULL
-- constraints cannot come back while any exists. Rather than delete them (and, by cascade, their
-- tasks), the rollback stops and says so; nothing is changed. Remove those users deliberately first
-- (`delete from users where email is null`) if losing them is intended.
SET LOCAL lock_timeout = '5s';
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM "users" WHERE "email" IS NULL OR "password_hash" IS NULL) THEN
    RAISE EXCEPTION 'rollback of 0009 refused: % user(s) signed in through an external issuer (no email, no password) would be lost',
      (SELECT count(*) FROM "users" WHERE "email" IS NULL OR "password_hash" IS NULL)
      USING HINT = 'delete them deliberately first: delete from users where email is null';
  END IF;
END $$;
DROP TABLE IF EXISTS "external_identities";
ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;
ALTER TABLE "users" ALTER COLUMN "password_hash" SET NOT NULL;

-- Hand-written rollback of drizzle/0008_retired_refresh_tokens.sql (drizzle-kit has no down migrations).
-- `npm run db:rollback` runs it and removes 0008 from drizzle's journal in one transaction.
-- Sessions are kept; only the memory of tokens older than each session's previous one goes, so after
-- the rollback a replay of such a token is a plain 401 again instead of ending its session.
SET LOCAL lock_timeout = '5s';
DROP TABLE IF EXISTS "retired_refresh_tokens";

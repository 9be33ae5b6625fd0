-- Adds user_change_counters.live_until: until when a user may have a live socket open. A write calls the
-- user's Durable Object only before then, and every live ticket moves it to the end of its session.
-- The Worker before this migration issued tickets without recording them, and its sockets stay open up to
-- their session's end (at most the idle end, 7 days by default). So a database already in use takes, as
-- the default for every counter row, existing or created later, a moment 31 days from now: until then
-- every write calls the object as before, and later ones only for users who took a ticket. A new
-- database (no user yet) has had no ticket: its default is '-infinity', as the schema declares.
-- The default is a constant, so the column is added without rewriting the table.
DO $$
BEGIN
  EXECUTE format(
    'ALTER TABLE "user_change_counters" ADD COLUMN "live_until" timestamp with time zone DEFAULT %L NOT NULL',
    CASE WHEN EXISTS (SELECT 1 FROM "users") THEN to_char((now() + interval '31 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"+00"') ELSE '-infinity' END
  );
END
$$;

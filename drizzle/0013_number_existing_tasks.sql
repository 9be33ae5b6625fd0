-- Custom SQL migration file, put your code below! --
-- Numbers the tasks that exist before the change sequence (0012) does, so that a client's first sync
-- (GET /api/tasks/changes?since=0) sees them: per user, in the order of their last change. Only tasks
-- without a change row are numbered, after the user's last number, and the counter is bumped by an
-- upsert that locks it first, so this is safe to run again, even beside writes of the new version.
WITH "unnumbered" AS (
  SELECT t."user_id", t."id",
         row_number() OVER (PARTITION BY t."user_id" ORDER BY t."updated_at", t."id") AS "n",
         count(*) OVER (PARTITION BY t."user_id") AS "total"
    FROM "tasks" t
   WHERE t."user_id" IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM "task_changes" c WHERE c."user_id" = t."user_id" AND c."task_id" = t."id")
),
"counted" AS (
  INSERT INTO "user_change_counters" ("user_id", "last_seq")
  SELECT "user_id", max("total") FROM "unnumbered" GROUP BY "user_id"
  ON CONFLICT ("user_id") DO UPDATE SET "last_seq" = "user_change_counters"."last_seq" + excluded."last_seq"
  RETURNING "user_id", "last_seq"
)
INSERT INTO "task_changes" ("user_id", "task_id", "seq")
SELECT u."user_id", u."id", c."last_seq" - u."total" + u."n"
  FROM "unnumbered" u JOIN "counted" c ON c."user_id" = u."user_id";

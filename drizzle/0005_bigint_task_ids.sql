ALTER TABLE "idempotency_keys" ALTER COLUMN "task_id" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "id" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "id" SET DEFAULT nextval('tasks_id_seq'::regclass);
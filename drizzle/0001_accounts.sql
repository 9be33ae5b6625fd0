CREATE TABLE "users" (
	"id" varchar(36) PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(255) NOT NULL,
	"password_hash" varchar(60) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ck_users_password_hash_length" CHECK (char_length("users"."password_hash") = 60)
);
--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "created_at" SET DEFAULT (now() at time zone 'utc');--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "updated_at" SET DEFAULT (now() at time zone 'utc');--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "user_id" varchar(36);--> statement-breakpoint
CREATE UNIQUE INDEX "ux_users_email_lower" ON "users" USING btree (lower("email"));--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "fk_tasks_user_id" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ix_tasks_user_id" ON "tasks" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "ix_tasks_user_created" ON "tasks" USING btree ("user_id","created_at","id");
CREATE TABLE "task_changes" (
	"user_id" varchar(36) NOT NULL,
	"task_id" bigint NOT NULL,
	"seq" bigint NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pk_task_changes" PRIMARY KEY("user_id","task_id")
);
--> statement-breakpoint
CREATE TABLE "user_change_counters" (
	"user_id" varchar(36) PRIMARY KEY NOT NULL,
	"last_seq" bigint NOT NULL,
	"forgotten_seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "task_changes" ADD CONSTRAINT "fk_task_changes_user_id" FOREIGN KEY ("user_id") REFERENCES "public"."user_change_counters"("user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_change_counters" ADD CONSTRAINT "fk_user_change_counters_user_id" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ux_task_changes_user_seq" ON "task_changes" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "ix_task_changes_tombstones" ON "task_changes" USING btree ("changed_at") WHERE "task_changes"."deleted";
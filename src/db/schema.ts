// The database schema. drizzle-kit generates every migration in drizzle/ from this file.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

// `timestamp` columns of `tasks` hold UTC without a zone (as the pre-accounts app wrote them);
// mode 'string' keeps their microseconds, which keyset pagination needs to be exact.
const utcNow = sql`(now() at time zone 'utc')`;

export const users = pgTable(
  'users',
  {
    id: varchar('id', { length: 36 }).primaryKey().default(sql`gen_random_uuid()`),
    email: varchar('email', { length: 255 }).notNull(),
    passwordHash: varchar('password_hash', { length: 60 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow()
      .$onUpdate(() => sql`now()`),
  },
  (t) => [
    uniqueIndex('ux_users_email_lower').on(sql`lower(${t.email})`),
    check('ck_users_password_hash_length', sql`char_length(${t.passwordHash}) = 60`),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    id: serial('id').primaryKey(),
    title: varchar('title', { length: 200 }).notNull(),
    description: varchar('description', { length: 1000 }),
    completed: boolean('completed').notNull().default(false),
    createdAt: timestamp('created_at', { mode: 'string' }).notNull().default(utcNow),
    updatedAt: timestamp('updated_at', { mode: 'string' }).notNull().default(utcNow),
    // NULL for tasks created before accounts existed: kept, but visible to nobody.
    userId: varchar('user_id', { length: 36 }),
  },
  (t) => [
    foreignKey({ name: 'fk_tasks_user_id', columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
    index('ix_tasks_user_id').on(t.userId),
    // Serves "this user's tasks by creation time" in both directions, with id as the keyset tiebreak.
    index('ix_tasks_user_created').on(t.userId, t.createdAt, t.id),
  ],
);

/**
 * Idempotency-Key records for POST /api/tasks: per user, the hash of the request body and a snapshot of
 * the task as first created, so a retry replays the first response even if the task changed since.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: varchar('user_id', { length: 36 }).notNull(),
    key: varchar('key', { length: 255 }).notNull(),
    requestHash: varchar('request_hash', { length: 64 }).notNull(),
    taskId: integer('task_id').notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    description: varchar('description', { length: 1000 }),
    completed: boolean('completed').notNull(),
    taskCreatedAt: timestamp('task_created_at', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'pk_idempotency_keys', columns: [t.userId, t.key] }),
    foreignKey({ name: 'fk_idempotency_keys_user_id', columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      'cascade',
    ),
    index('ix_idempotency_keys_created_at').on(t.createdAt),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;

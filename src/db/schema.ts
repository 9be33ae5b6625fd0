// The database schema. drizzle-kit generates every migration in drizzle/ from this file.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  pgTable,
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

export type UserRow = typeof users.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;

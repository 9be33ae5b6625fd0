// The peer's own declaration of the tasks table (the same columns as the project's, declared the way a
// minimal Drizzle app would): only bench/peers/peer.ts uses it.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, integer, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';

export const tasks = pgTable('tasks', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  title: varchar('title', { length: 200 }).notNull(),
  description: varchar('description', { length: 1000 }),
  completed: boolean('completed').notNull().default(false),
  createdAt: timestamp('created_at', { mode: 'string' }).notNull().default(sql`(now() at time zone 'utc')`),
  updatedAt: timestamp('updated_at', { mode: 'string' }).notNull().default(sql`(now() at time zone 'utc')`),
  version: integer('version').notNull().default(1),
  userId: varchar('user_id', { length: 36 }),
});
